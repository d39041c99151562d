# Golden pages: each tests/golden/CASE/content is built with the
# project's templates and compared, file by file, with CASE/expected
# (assets, plain copies, are left out).  UPDATE=1 rewrites the
# expectations instead (make golden-update) and shows what changed.
. "$TOP/tests/lib.sh"

for case in "$TOP"/tests/golden/*/; do
	name=$(basename "$case")
	new_scratch
	make_site "$scratch/site" "$case/content"
	if ! "$JICENG" build -C "$scratch/site" -o out >"$scratch/log" 2>&1; then
		not_ok "golden $name: build failed"
		sed 's/^/# /' "$scratch/log"
		continue
	fi
	rm -rf "$scratch/site/out/assets"
	if [ -n "${UPDATE:-}" ]; then
		rm -rf "$case/expected.old"
		[ -d "$case/expected" ] && mv "$case/expected" "$case/expected.old"
		cp -R "$scratch/site/out" "$case/expected"
		diff -ru "$case/expected.old" "$case/expected" | head -200 >&2
		rm -rf "$case/expected.old"
		ok "golden $name: updated"
		continue
	fi
	if diff -ru "$case/expected" "$scratch/site/out" >"$scratch/diff"; then
		ok "golden $name"
	else
		not_ok "golden $name: output differs (make golden-update)"
		head -60 "$scratch/diff" | sed 's/^/# /'
	fi
done
