# Hostile and careless input: what an attacker, a careless editor or a
# busy machine can hand a build.  Each case ends in a located message
# and an exit status, never in a hang, an abort or a crash; and each
# runs against the plain build as well as the sanitizer build, since some
# crashes show only without the sanitizers.
. "$TOP/tests/lib.sh"

new_scratch
base=$scratch/base
make_site "$base" "$TOP/tests/golden/basic/content"
"$JICENG" build -C "$base" -o out >/dev/null 2>&1

# runs_within SECONDS COMMAND...: COMMAND under a time limit; the status
# of COMMAND, or 124 when it ran out of time.
runs_within() {
	limit=$1
	shift
	timeout -k 5 "$limit" "$@"
}

# A folder that is not a site is refused while the cache is still being
# read on a thread of its own: the process must not end under it.  A
# crash came in a few runs in a hundred, so try many.
mkdir "$scratch/refused"
echo keep >"$scratch/refused/notes.txt"
crashed=0
i=0
while [ $i -lt 200 ]; do
	"$JICENG" build -C "$base" -o "$scratch/refused" >/dev/null 2>&1
	status=$?
	[ $status -eq 3 ] || crashed=$((crashed + 1))
	i=$((i + 1))
done
if [ $crashed -eq 0 ]; then
	ok "a refused output folder exits 3, 200 times out of 200"
else
	not_ok "a refused output folder: $crashed runs in 200 did not exit 3"
fi
