# The manual pages are valid mdoc: mandoc -Tlint reports nothing, not
# even a style note, with the pages laid out as installed so that their
# cross references resolve.  Every page names the others, every command
# of `jiceng --help` is in jiceng(1), and what once rendered wrong stays
# right.
. "$TOP/tests/lib.sh"

if ! command -v mandoc >/dev/null 2>&1; then
	not_ok "mandoc is not installed (scripts/test-deps.sh)"
	exit 0
fi
new_scratch
for page in "$TOP"/man/*.[157]; do
	section=${page##*.}
	mkdir -p "$scratch/man/man$section"
	cp "$page" "$scratch/man/man$section/"
done
# Without its index mandoc takes a page it finds for an outdated index.
PATH=$PATH:/usr/sbin makewhatis "$scratch/man"
for page in "$TOP"/man/*.[157]; do
	if out=$(mandoc -Tlint -W style -M "$scratch/man" "$page" 2>&1) &&
	    [ -z "$out" ]; then
		ok "mandoc -Tlint $(basename "$page")"
	else
		not_ok "mandoc -Tlint $(basename "$page")"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
done

# SEE ALSO names every other page.
for page in "$TOP"/man/*.[157]; do
	self=$(basename "$page")
	missing=""
	for other in "$TOP"/man/*.[157]; do
		name=$(basename "$other")
		[ "$name" = "$self" ] && continue
		sed -n '/^\.Sh SEE ALSO/,$p' "$page" |
		    grep -q "^\.Xr ${name%.*} ${name##*.}" ||
		    missing="$missing ${name%.*}(${name##*.})"
	done
	if [ -z "$missing" ]; then
		ok "$self: SEE ALSO names the other pages"
	else
		not_ok "$self: SEE ALSO lacks$missing"
	fi
done
check "the README names jiceng-template(7)" \
    grep -q 'jiceng-template(7)' "$TOP/README.md"

# Every command the program lists has its entry in jiceng(1).
missing=""
for cmd in $("$JICENG" --help | sed -n 's/^  jiceng \([^ ]*\).*/\1/p'); do
	case $cmd in
	--*)	grep -q "^\.It Fl ${cmd#-}\$" "$TOP/man/jiceng.1" ;;
	*)	grep -q "^\.It Cm $cmd\( \|\$\)" "$TOP/man/jiceng.1" ;;
	esac || missing="$missing $cmd"
done
if [ -n "$missing" ]; then
	not_ok "jiceng(1) lacks the commands$missing"
elif [ -z "$("$JICENG" --help | grep '^  jiceng ')" ]; then
	not_ok "jiceng --help lists no commands"
else
	ok "jiceng(1) describes every command of jiceng --help"
fi

# Every long option of a command's usage is in its SYNOPSIS entry
# (import's --verbose was once left out).
missing=""
"$JICENG" --help | sed -n 's/^  jiceng \([a-z][a-z]*\) .*/\1/p' |
    sort -u >"$scratch/cmds"
while read -r cmd; do
	sed -n '/^\.Sh SYNOPSIS/,/^\.Sh /p' "$TOP/man/jiceng.1" |
	    sed -n "/^\.Cm $cmd\$/,/^\.Nm/p" >"$scratch/synopsis"
	for opt in $("$JICENG" --help | sed -n "s/^  jiceng $cmd //p" |
	    grep -o -- '--[a-z-]*'); do
		grep -q -- "Fl -${opt#--}" "$scratch/synopsis" ||
		    missing="$missing $cmd:$opt"
	done
done <"$scratch/cmds"
if [ -z "$missing" ]; then
	ok "jiceng(1)'s SYNOPSIS has every option of jiceng --help"
else
	not_ok "jiceng(1)'s SYNOPSIS lacks$missing"
fi

# A quoted list once rendered as (‘海南省, ‘内蒙古自治区’’).
check "jiceng(5) quotes each province on its own" \
    sh -c "mandoc -T utf8 '$TOP/man/jiceng.5' | tr -s ' \n' '  ' |
    grep -q '(‘海南省’, ‘内蒙古自治区’)'"
