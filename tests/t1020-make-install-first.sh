#!/bin/sh
# A new machine needs only the README's two commands (issue 8): `make test` and `make run`
# run the install step before anything that needs a library, so a machine without the
# -dev packages (here: pkg-config made blind) gets to the install step instead of stopping
# at "pkg-config cannot find". Without root the same command prints the one apt-get line.
# The negative twin: a plain build with a library missing still stops, naming the Debian
# package. CI runs exactly the README's test command.
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/nolibs" "$T/bin"
blind() { PKG_CONFIG_LIBDIR="$T/nolibs" make --no-print-directory -C "$TOP" B="$T/build" "$@"; }

# The install step is a stand-in that notes it ran and then fails, like a refused install.
printf '#!/bin/sh\necho ran >"%s/installed"\nexit 1\n' "$T" >"$T/bin/install-deps"
chmod +x "$T/bin/install-deps"
for goal in test run demo; do
	rm -f "$T/installed"
	blind INSTALL_DEPS="$T/bin/install-deps" "$goal" >"$T/$goal.out" 2>&1
	check "make $goal runs the install step first" test -f "$T/installed"
	refuse "... and does not stop at pkg-config before it" grep -q "pkg-config cannot find" "$T/$goal.out"
done

# Install step done (stand-in succeeds) but a library still missing: the build refuses.
refuse "make all with sdl2 missing stops" blind all
blind all >"$T/all.out" 2>&1
check "... naming the Debian package" grep -q "pkg-config cannot find 'sdl2'.*libsdl2-dev" "$T/all.out"
refuse "... before compiling anything" test -d "$T/build/obj"

# Without root: the real install step, one package reported missing by dpkg.
printf '#!/bin/sh\n[ "$3" = libsdl2-dev ] && exit 1\nexec %s "$@"\n' "$(command -v dpkg-query)" >"$T/bin/dpkg-query"
chmod +x "$T/bin/dpkg-query"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	chmod 755 "$T" "$T/bin"
	setpriv --reuid=65534 --regid=65534 --clear-groups env PATH="$T/bin:$PATH" HOME=/nonexistent \
		make --no-print-directory -C "$TOP" B="$T/build" test >"$T/user.out" 2>&1
	check "without root, make test prints the apt-get line" \
		grep -q "apt-get install --no-install-recommends libsdl2-dev" "$T/user.out"
	check "... exactly one apt-get line" test "$(grep -c 'apt-get' "$T/user.out")" = 1
	refuse "... and builds nothing" test -d "$T/build/obj"
else
	ok "# SKIP not root (or no setpriv): the non-root install step is checked as uid 65534 when root"
fi
sed 's/^/# /' "$T/user.out" 2>/dev/null

check ".ci/run runs exactly 'make test', with nothing before it" \
	test "$(grep -v '^#\|^cd \|^set \|^$' "$TOP/.ci/run")" = "exec make test"
done_testing
