#!/usr/bin/env python3
# make.py — writes the broken form fixtures of this folder and EXPECT (file, then the
# substring its error must hold). Each is a small valid form (Dutch only) with one defect.
# Run it after changing the fixtures' base: python3 tests/forms-bad/make.py
import copy, json, os

HERE = os.path.dirname(os.path.abspath(__file__))

def q(id, type, icon="dot", **kw):
    d = {"id": id, "type": type, "icon": icon, "title": {"nl": id}, "spoken": {"nl": id}}
    d.update(kw)
    return d

def opts(*ids):
    return [{"id": i, "icon": "dot", "label": {"nl": i}} for i in ids]

BASE = {"form": "registration", "version": 1, "languages": ["nl"], "questions": [
    q("crisis", "multi", required=True, allow_unknown=True,
      options=opts("eviction", "energy", "water", "health_insurance") +
      [{"id": "none", "icon": "dot", "exclusive": True, "label": {"nl": "none"}}]),
    q("crisis_date", "date", required=True, allow_unknown=True, range="near",
      show_if={"question": "crisis", "is_not": "none"}),
    q("name", "text", required=True),
    q("contact", "single", required=True, options=opts("phone", "email", "come_back")),
    q("phone", "phone", required=True, show_if={"question": "contact", "is": "phone"}),
    q("email", "email", required=True, show_if={"question": "contact", "is": "email"}),
    q("address", "address", required=True, allow_unknown=True),
    q("privacy_read", "consent", required=True),
]}

def find(f, id):
    return next(x for x in f["questions"] if x["id"] == id)

def mutate(fn):
    f = copy.deepcopy(BASE)
    fn(f)
    return json.dumps(f, ensure_ascii=False, indent=1) + "\n"

def unknown_type(f): find(f, "name")["type"] = "slider"
def missing_text(f):
    f["languages"] = ["nl", "en"]
    for x in f["questions"]:
        x["title"]["en"] = x["spoken"]["en"] = x["id"]
        for o in x.get("options", []):
            o["label"]["en"] = o["id"]
    del find(f, "contact")["spoken"]["en"]

def cond_nowhere(f): find(f, "crisis_date")["show_if"]["question"] = "crises"
def cond_forward(f): find(f, "name")["show_if"] = {"question": "contact", "is": "phone"}
def duplicate_id(f): f["questions"].insert(3, copy.deepcopy(find(f, "name")))
def option_no_id(f): del find(f, "contact")["options"][1]["id"]
def missing_fixed(f): f["questions"].remove(find(f, "privacy_read"))
def unknown_lang(f): f["languages"] = ["nl", "xx"]
def empty_options(f): find(f, "contact")["options"] = []
def extra_question(f): f["questions"].insert(3, q("bsn", "text"))
def foreign_text(f): find(f, "name")["title"]["de"] = "Name"
def not_required(f): find(f, "name")["required"] = False
def crisis_second(f): f["questions"].insert(0, f["questions"].pop(2))
def key_typo(f): find(f, "name")["titel"] = find(f, "name").pop("title")
def cond_value(f): find(f, "crisis_date")["show_if"]["is_not"] = "nothing"
def crisis_option(f): find(f, "crisis")["options"].pop(2)
def exclusive_single(f): find(f, "contact")["options"][2]["exclusive"] = True
def consent_unknown(f): find(f, "privacy_read")["allow_unknown"] = True
def no_icon(f): del find(f, "crisis")["options"][0]["icon"]
def range_text(f): find(f, "name")["range"] = "past"
def fixed_off(f): find(f, "crisis")["enabled"] = False
def enabled_word(f): find(f, "name")["enabled"] = "no"
def screen_alone(f): find(f, "name")["same_screen"] = True
def screen_date(f):
    x = find(f, "crisis_date")
    x["same_screen"] = True
    f["questions"].remove(x)
    f["questions"].insert(1, x)
def variant_untitled(f):
    find(f, "crisis_date")["variant"] = {"show_if": {"question": "crisis", "is": "unknown"},
                                         "spoken": {"nl": "x"}}
def variant_nowhere(f):
    find(f, "crisis_date")["variant"] = {"show_if": {"question": "crises", "is": "unknown"},
                                         "title": {"nl": "x"}, "spoken": {"nl": "x"}}

CASES = [
    ("bad-json", None, "expected"),
    ("not-object", "[1, 2]\n", "top level: must be a JSON object"),
    ("bad-utf8", None, "unable to decode byte"),
    ("duplicate-key", None, "duplicate object key"),
    ("unknown-type", unknown_type, 'unknown type "slider"'),
    ("missing-text", missing_text, 'question "contact": spoken has no text for language "en"'),
    ("cond-nowhere", cond_nowhere, 'points to "crises", which is not a question of this form'),
    ("cond-forward", cond_forward, 'points to "contact", which is not asked before this question'),
    ("duplicate-id", duplicate_id, 'question "name": id used twice'),
    ("option-no-id", option_no_id, 'options[1]: option without an id'),
    ("missing-fixed", missing_fixed, 'question "privacy_read": missing: the record needs this answer'),
    ("unknown-lang", unknown_lang, 'languages[1]: unknown language code "xx"'),
    ("empty-options", empty_options, 'question "contact": a single question needs a non-empty options list'),
    ("extra-question", extra_question, 'question "bsn": not one of the record\'s answer ids'),
    ("foreign-text", foreign_text, 'has a text for "de", a language the form does not declare'),
    ("not-required", not_required, 'question "name": must be required'),
    ("crisis-second", crisis_second, 'the crisis question must come first'),
    ("key-typo", key_typo, 'question "name": unknown key "titel"'),
    ("cond-value", cond_value, '"nothing" is not an option of "crisis"'),
    ("crisis-option", crisis_option, 'question "crisis": option "water" is missing'),
    ("exclusive-single", exclusive_single, 'exclusive must be true or false, and only on a multi question'),
    ("consent-unknown", consent_unknown, 'question "privacy_read": cannot allow "unknown"'),
    ("no-icon", no_icon, 'option "eviction": option without an icon name'),
    ("range-text", range_text, 'range belongs to a date question'),
    ("fixed-off", fixed_off, 'question "crisis": cannot be switched off'),
    ("enabled-word", enabled_word, 'question "name": enabled must be true or false'),
    ("screen-alone", screen_alone, 'question "name" same_screen: needs the question before it'),
    ("screen-date", screen_date, 'only a single choice, text, phone or e-mail question can share'),
    ("variant-untitled", variant_untitled, 'question "crisis_date" variant: needs a title'),
    ("variant-nowhere", variant_nowhere, 'variant show_if: points to "crises"'),
]

def main():
    good = mutate(lambda f: None)
    raw = {
        "bad-json": good.replace('"type": "text",', '"type": "text"', 1),
        "bad-utf8": good.replace('"name"', '"na\udcffme"', 1),
        "duplicate-key": good.replace('"type": "text",', '"type": "text", "type": "text",', 1),
    }
    with open(os.path.join(HERE, "EXPECT"), "w") as exp:
        exp.write("# file<TAB>substring the load error must contain (written by make.py)\n")
        for name, fn, want in CASES:
            path = os.path.join(HERE, name + ".json")
            text = raw.get(name) or (fn if isinstance(fn, str) else mutate(fn))
            with open(path, "wb") as out:
                out.write(text.encode("utf-8", "surrogateescape"))
            exp.write("%s.json\t%s\n" % (name, want))
    with open(os.path.join(HERE, "good-minimal.json"), "w") as out:
        out.write(good)

main()
