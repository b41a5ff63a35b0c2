/*
 * The probe script, sent on stdin to `sh -s -- TIMEOUT LIMIT N1 WORDS… N2 WORDS…` (the single source: the page
 * imports this text; nothing is copied to dist/). The commands are data in the positional parameters, never in
 * the script text: stdin carries only this fixed script, because a shell reading its script from a pipe may read
 * ahead (dash reads 8 KiB blocks) and would swallow data placed after it.
 *
 * Output (stdout), every data line base64, so no data line can look like a marker:
 *   VFM-PROBE 1
 *   R <index> <exit status> <milliseconds> <stdout bytes> <stderr bytes>
 *   O            then the first LIMIT bytes of stdout, base64 lines
 *   E            then the first LIMIT bytes of stderr, base64 lines
 *   .
 *   … one R record per command …
 *   VFM-PROBE-END <count>
 * Exit status 124 = stopped by its timeout, 127 = not found (coreutils `timeout` conventions).
 */
export const PROBE_SCRIPT = `set -u
LC_ALL=C
export LC_ALL
fail() { echo "VFM-PROBE-ERROR $1"; exit 2; }
[ $# -ge 2 ] || fail arguments
t=$1 lim=$2
shift 2
case "$t:$lim" in *[!0-9:]*|:*|*:) fail arguments;; esac
d=$(mktemp -d) || fail mktemp
trap 'rm -rf "$d"' EXIT
# the clock in microseconds, in $c: bash (RHEL's sh) has it without starting a process
clock() {
    case \${EPOCHREALTIME:-} in
        ''|*[!0-9.]*|*.*.*|.*|*.)
            c=$(date +%s%N)
            case $c in ''|*[!0-9]*) c=$(( $(date +%s) * 1000000 ));; *) c=$(( c / 1000 ));; esac;;
        *) c=\${EPOCHREALTIME%.*}\${EPOCHREALTIME#*.};;
    esac
}
# the first LIMIT bytes of a file of SIZE bytes, base64 (no process for an empty file)
emit() {
    if [ "$2" -eq 0 ]; then :
    elif [ "$2" -le "$lim" ]; then base64 <"$1"
    else head -c "$lim" "$1" | base64
    fi
}
if command -v timeout >/dev/null 2>&1; then to='timeout -k 2 "$t"'; else to=''; fi
echo "VFM-PROBE 1"
# every command starts at once (they only read), so a refresh takes about as long as the slowest one;
# the records are then printed in order
i=0
while [ $# -gt 0 ]; do
    n=$1
    shift
    case $n in ''|*[!0-9]*) fail count;; esac
    [ "$n" -ge 1 ] && [ "$n" -le $# ] || fail count
    # the words "$1" … "$n": the text given to eval holds only digits counted here, never a word of the data
    w=''
    k=1
    while [ "$k" -le "$n" ]; do w="$w \\"\\\${$k}\\""; k=$((k + 1)); done
    (
        clock
        t0=$c
        eval "$to $w" </dev/null >"$d/o$i" 2>"$d/e$i"
        rc=$?
        clock
        echo "$rc $(( (c - t0) / 1000 ))" >"$d/r$i"
    ) &
    shift "$n"
    i=$((i + 1))
done
wait
# every output's size from one wc (not two processes per command)
if [ "$i" -gt 0 ]; then
    wc -c -- "$d"/o* "$d"/e* >"$d/sizes" 2>/dev/null
    while read -r n f; do
        case $f in "$d"/[oe][0-9]*) echo "$n" >"$f.n";; esac
    done <"$d/sizes"
fi
j=0
while [ "$j" -lt "$i" ]; do
    read -r rc ms <"$d/r$j" || fail record
    read -r so <"$d/o$j.n" || fail size
    read -r se <"$d/e$j.n" || fail size
    echo "R $j $rc $ms $so $se"
    echo O
    emit "$d/o$j" "$so"
    echo E
    emit "$d/e$j" "$se"
    echo .
    j=$((j + 1))
done
echo "VFM-PROBE-END $i"
`;
