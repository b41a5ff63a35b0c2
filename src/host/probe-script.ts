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
# every command starts at once (they only read), so a refresh takes about as long as the slowest one; each one's
# record (sizes from one wc, outputs in base64) is made as it ends, beside the others; r<i> says it is whole
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
        wc -c -- "$d/o$i" "$d/e$i" >"$d/n$i" 2>/dev/null
        { read -r so _ && read -r se _; } <"$d/n$i" || exit
        {
            echo "R $i $rc $(( (c - t0) / 1000 )) $so $se"
            echo O
            emit "$d/o$i" "$so"
            echo E
            emit "$d/e$i" "$se"
            echo .
        } >"$d/x$i" && : >"$d/r$i"
    ) &
    shift "$n"
    i=$((i + 1))
done
wait
# the records in order, in one process (none: cat would read this script's stdin), up to the first one not whole
j=0
while [ "$j" -lt "$i" ] && [ -e "$d/r$j" ]; do
    set -- "$@" "$d/x$j"
    j=$((j + 1))
done
[ "$j" -eq 0 ] || cat -- "$@"
[ "$j" -eq "$i" ] || fail record
echo "VFM-PROBE-END $i"
`;
