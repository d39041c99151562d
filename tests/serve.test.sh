# jiceng serve: real HTTP requests with curl against a copy of the basic
# site served on a free port of 127.0.0.1: content types, Chinese paths,
# folders, the site's 404 page, refused methods, no byte from outside the
# output folder however the path is spelt, and a live-reload event after
# an edit.  Every wait is bounded; the server is always stopped.
. "$TOP/tests/lib.sh"

if ! command -v curl >/dev/null 2>&1; then
	echo "ok 1 # SKIP curl is not installed (apt-get install -y curl)"
	exit 0
fi

pids=""
trap '[ -z "$pids" ] || kill $pids 2>/dev/null; rm -rf $scratch_dirs' EXIT

# wait_for FILE PATTERN [COUNT] [SECONDS]: waits until FILE has at least
# COUNT lines matching the extended regex PATTERN (default 1, 30 s).
wait_for() {
	tries=$((${4:-30} * 10))
	while :; do
		found=$(grep -cE "$2" "$1" 2>/dev/null) || found=0
		[ "$found" -lt "${3:-1}" ] || return 0
		tries=$((tries - 1))
		[ $tries -gt 0 ] || return 1
		sleep 0.1
	done
}

# stopped PID [SECONDS]: waits until the process has gone.
stopped() {
	tries=$((${2:-10} * 10))
	while kill -0 "$1" 2>/dev/null; do
		tries=$((tries - 1))
		[ $tries -gt 0 ] || return 1
		sleep 0.1
	done
}

new_scratch
site=$scratch/site
log=$scratch/log
make_site "$site" "$TOP/tests/golden/basic/content"
printf 'TOP-SECRET\n' >"$site/secret.txt"

"$JICENG" serve -C "$site" -o out --port 0 >"$log" 2>&1 &
server=$!
pids=$server
if wait_for "$log" '^serving http://127\.0\.0\.1:[0-9]+/ ' 1 60; then
	ok "serve builds and listens on 127.0.0.1"
else
	not_ok "serve builds and listens on 127.0.0.1"
	sed 's/^/# /' "$log"
	exit 1
fi
port=$(sed -n 's|^serving http://127\.0\.0\.1:\([0-9]*\)/ .*|\1|p' "$log")
url=http://127.0.0.1:$port
body=$scratch/body
headers=$scratch/headers

# get PATH [CURL OPTIONS]: requests PATH as written (no dot folding by
# curl); the body goes to $body, the headers to $headers, the status to
# $status.
get() {
	path=$1
	shift
	status=$(curl -s --max-time 10 --path-as-is -o "$body" -D "$headers" \
	    -w '%{http_code}' "$@" "$url$path")
}

# header NAME: the value of a response header.
header() {
	sed -n "s/^$1: *//ip" "$headers" | tr -d '\r'
}

# expect NAME STATUS [TYPE]: checks the last response.
expect() {
	if [ "$status" != "$2" ]; then
		not_ok "$1: status $status, not $2"
	elif [ -n "${3:-}" ] && [ "$(header Content-Type)" != "$3" ]; then
		not_ok "$1: content type \"$(header Content-Type)\", not \"$3\""
	else
		ok "$1"
	fi
}

# urlencode TEXT: every byte percent-encoded.
urlencode() {
	printf '%s' "$1" | od -An -tx1 | tr -d ' \n' | sed 's/../%&/g'
}

html='text/html; charset=utf-8'
get /
expect "the home page" 200 "$html"
check "the reload script is added to the page" grep -q '/__jiceng/events' "$body"
check "before </body>" grep -qE '</script>$' "$body"
check_fails "and never written to the output" grep -rq '__jiceng' "$site/out"
check "the build links to the preview" \
    grep -q "http://127.0.0.1:$port/" "$site/out/404.html"
get /index.html
expect "index.html by name" 200 "$html"
get /assets/style.css
expect "a stylesheet" 200 'text/css; charset=utf-8'
check_fails "no script in a stylesheet" grep -q '__jiceng' "$body"
cmp -s "$body" "$site/out/assets/style.css"
check "other files byte for byte" test $? -eq 0
# The search page reads its index by ranges, as static hosts serve them.
css_size=$(wc -c <"$site/out/assets/style.css")
get /assets/style.css -H 'Range: bytes=10-25'
if [ "$status" = 206 ] &&
    [ "$(header Content-Range)" = "bytes 10-25/$css_size" ] &&
    tail -c +11 "$site/out/assets/style.css" | head -c 16 | cmp -s - "$body"; then
	ok "a range of a file: 206, its bytes and Content-Range"
else
	not_ok "a range of a file: status $status, $(header Content-Range)"
fi
get /assets/style.css -H "Range: bytes=$css_size-"
expect "a range past the end: 416" 416
get /feed.xml
expect "the feed" 200 'application/xml; charset=utf-8'
get /robots.txt
expect "robots.txt" 200 'text/plain; charset=utf-8'
get /
size=$(wc -c <"$body")
get / -I
expect "HEAD" 200 "$html"
check "HEAD gives the length of the page with its script" \
    test "$(header Content-Length)" -eq "$size"

district=海口市美兰区
encoded=/districts/$(urlencode "$district")
get "$encoded/"
expect "a Chinese path, percent-encoded" 200 "$html"
check "is the district's page" grep -q "$district" "$body"
get "/districts/$district/"
expect "a Chinese path sent as UTF-8" 200 "$html"
get "$encoded"
expect "a folder without its slash is redirected" 301
check "to the folder" test "$(header Location)" = "$encoded/"
get /districts
expect "the districts folder without its slash" 301
check "to /districts/" test "$(header Location)" = "/districts/"
get /districts/
expect "a folder serves its index.html" 200 "$html"

title=$(grep -o '<title>[^<]*' "$site/out/404.html")
get /no/such/page/
expect "a missing page" 404 "$html"
check "is the site's 404 page" grep -qF "$title" "$body"
check "with the reload script" grep -q '/__jiceng/events' "$body"
get /no-such-file.css
expect "a missing file" 404

for method in POST PUT DELETE PATCH OPTIONS; do
	get / -X $method
	expect "$method is refused" 405
	check "$method: Allow names GET and HEAD" \
	    test "$(header Allow)" = "GET, HEAD"
done

# Nothing outside the output folder: $site/secret.txt is one level up.
ln -s ../secret.txt "$site/out/leak.txt"
ln -s .. "$site/out/up"
ln -s "$site" "$site/out/site"
for path in /../secret.txt /./../secret.txt //../secret.txt \
    /assets/../../secret.txt /%2e%2e/secret.txt /%2E%2E/secret.txt \
    /.%2e/secret.txt /%2e%2e%2fsecret.txt /assets%2f..%2f..%2fsecret.txt \
    /assets/%2e%2e/%2e%2e/secret.txt /%252e%252e/secret.txt \
    /..%5csecret.txt /..%00/secret.txt /secret.txt /leak.txt \
    /up/secret.txt /site/secret.txt /site/content/site.yaml /up/; do
	get "$path"
	if [ "$status" = 200 ] || grep -q 'TOP-SECRET\|base_url' "$body"; then
		not_ok "nothing outside the output: $path gave $status"
	else
		ok "nothing outside the output: $path ($status)"
	fi
done
get "" --request-target '../secret.txt'
expect "a request target without its slash" 400
rm "$site/out/leak.txt" "$site/out/up" "$site/out/site"

# Live reload: a stream open before an edit receives an event after it.
events=$scratch/events
curl -s -N --max-time 60 -D "$scratch/event-headers" \
    "$url/__jiceng/events" >"$events" 2>/dev/null &
stream=$!
pids="$pids $stream"
if wait_for "$events" '^retry:' 1 10; then
	ok "the event stream opens"
else
	not_ok "the event stream opens"
fi
check "as text/event-stream" \
    grep -qi '^content-type: text/event-stream' "$scratch/event-headers"
article=$site/content/articles/海口市美兰区.md
cp "$article" "$scratch/good.md"
printf '\n预览时新增的一段。\n' >>"$article"
if wait_for "$events" '^event: reload' 1 30; then
	ok "a reload event after an edit"
else
	not_ok "a reload event after an edit"
	sed 's/^/# /' "$log"
fi
check "the line for the rebuild" \
    grep -qE '^rebuilt after content/articles/海口市美兰区\.md: ' "$log"
get "/articles/$(urlencode 海口市美兰区)/"
check "the page shows the edit" grep -q '预览时新增的一段' "$body"

# A broken save: reported, the last good site still served, no reload;
# open pages are sent the messages, which the script shows over them.
printf -- '---\ntitle: [broken\n---\n' >"$article"
if wait_for "$log" '^build failed; serving the last good site$' 1 30; then
	ok "a failed build is reported"
else
	not_ok "a failed build is reported"
fi
if wait_for "$events" '^data: content/articles/海口市美兰区\.md:3:1: error: malformed YAML' 1 10; then
	ok "open pages are sent the errors"
else
	not_ok "open pages are sent the errors"
	sed 's/^/# /' "$events"
fi
check "as a failed event" grep -q '^event: failed' "$events"
get /
check "the page's script shows them" grep -q 'addEventListener("failed"' "$body"
since=$(grep -o 'since=[0-9]*' "$body" | cut -d= -f2)
curl -s -N --max-time 3 "$url/__jiceng/events?since=$since" \
    >"$scratch/late-events" 2>/dev/null
check "a page opened after the failure is sent them too" \
    grep -q '^data: content/articles/海口市美兰区\.md:3:1: error:' \
    "$scratch/late-events"
get "/articles/$(urlencode 海口市美兰区)/"
expect "the last good site is still served" 200 "$html"
check "with the last good text" grep -q '预览时新增的一段' "$body"
sleep 0.5
check "no reload after a failed build" \
    test "$(grep -c '^event: reload' "$events")" -eq 1
cp "$scratch/good.md" "$article"
if wait_for "$events" '^event: reload' 2 30; then
	ok "the next good save reloads again"
else
	not_ok "the next good save reloads again"
fi

# A second server on the same port fails, and says why.
"$JICENG" serve -C "$site" -o out --port "$port" >"$scratch/busy" 2>&1 &
busy=$!
pids="$pids $busy"
if stopped $busy 20; then
	wait $busy
	status=$?
	if [ $status -eq 3 ] && grep -q 'cannot listen' "$scratch/busy"; then
		ok "a port in use: exit status 3"
	else
		not_ok "a port in use: status $status"
		sed 's/^/# /' "$scratch/busy"
	fi
else
	not_ok "a port in use: still running"
fi

# Ctrl-C with a stream still open: the server stops at once, cleanly.
kill -INT $server
if stopped $server 10; then
	wait $server
	status=$?
	if [ $status -eq 0 ]; then ok "SIGINT stops the server"
	else not_ok "SIGINT stops the server: status $status"; fi
else
	not_ok "SIGINT stops the server: still running"
fi
check "the open stream ends with it" stopped $stream 5
check_fails "no sanitizer report" grep -qE 'Sanitizer|runtime error' "$log"
pids=""

# Without -o, the preview is built into a folder of its own with the
# server's address: public/, as "jiceng build" made it, is not touched.
"$JICENG" build -C "$site" >/dev/null 2>&1
(cd "$site/public" && find . -type f | sort | xargs md5sum;
    find . -newer "$site/public/index.html" | sort) >"$scratch/public-before"
"$JICENG" serve -C "$site" --port 0 >"$scratch/preview" 2>&1 &
server=$!
pids=$server
if wait_for "$scratch/preview" '^serving http://127\.0\.0\.1:[0-9]+/ ' 1 60; then
	port=$(sed -n 's|^serving http://127\.0\.0\.1:\([0-9]*\)/ .*|\1|p' \
	    "$scratch/preview")
	url=http://127.0.0.1:$port
	printf '\n预览的修改。\n' >>"$article"
	wait_for "$scratch/preview" '^rebuilt after ' 1 30
	get "/articles/$(urlencode 海口市美兰区)/"
	check "the preview serves the edit" grep -q '预览的修改' "$body"
	check "and links to itself" grep -q "http://127.0.0.1:$port/" \
	    "$site/.jiceng-cache/preview/404.html"
	(cd "$site/public" && find . -type f | sort | xargs md5sum;
	    find . -newer "$site/public/index.html" | sort) \
	    >"$scratch/public-after"
	check "public/ is left as the build made it" \
	    cmp -s "$scratch/public-before" "$scratch/public-after"
	check_fails "with no address of the preview" \
	    grep -rq '127\.0\.0\.1' "$site/public"
	kill -INT $server
	stopped $server 10
else
	not_ok "serve without -o"
	sed 's/^/# /' "$scratch/preview"
fi
pids=""

"$JICENG" serve --port 65536 >/dev/null 2>&1
check "a bad port is a usage error" test $? -eq 2
"$JICENG" serve --port x >/dev/null 2>&1
check "a port that is no number is a usage error" test $? -eq 2
"$JICENG" serve --base-url http://x/ >/dev/null 2>&1
check "--base-url is the preview's own" test $? -eq 2
# 192.0.2.1 is reserved for documentation: no machine has it.
"$JICENG" serve -C "$site" -o out --port 0 --bind 192.0.2.1 \
    >"$scratch/bind" 2>&1
status=$?
if [ $status -eq 3 ] && grep -q 'cannot listen' "$scratch/bind"; then
	ok "an address not of this machine: exit status 3"
else
	not_ok "an address not of this machine: status $status"
	sed 's/^/# /' "$scratch/bind"
fi
