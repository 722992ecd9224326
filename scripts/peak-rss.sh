# Sourced by scripts/bench.sh and scripts/bench-memory.sh (not run on its own).
#
# peak_rss CMD...: runs CMD with stdin from $INPUT (default /dev/null) and stdout to
# /dev/null, and sets PEAK_KB to its peak resident set size and CPU_S to its user + system
# seconds. Uses GNU time (`/usr/bin/time -v`) when it is installed; otherwise polls the
# process's high-water mark (VmHWM in /proc/PID/status) every 10 ms, and CPU_S is 0.
# Needs $WORK, a scratch folder. Returns CMD's exit status.
peak_rss() {
    local input=${INPUT:-/dev/null} status=0
    if [ -x /usr/bin/time ] && /usr/bin/time -v true 2> /dev/null; then
        /usr/bin/time -v -o "$WORK/time.txt" "$@" < "$input" > /dev/null || status=$?
        PEAK_KB=$(awk -F': *' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
        CPU_S=$(awk -F': *' '/User time|System time/ {s += $2} END {print s}' "$WORK/time.txt")
    else
        "$@" < "$input" > /dev/null &
        local pid=$! hwm=0 now
        while kill -0 "$pid" 2> /dev/null; do
            now=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2> /dev/null || echo 0)
            [ "${now:-0}" -gt "$hwm" ] && hwm=$now
            sleep 0.01
        done
        wait "$pid" || status=$?
        PEAK_KB=$hwm
        CPU_S=0
    fi
    return "$status"
}

# Which way peak_rss measures, for the scripts' output.
peak_rss_source() {
    if [ -x /usr/bin/time ] && /usr/bin/time -v true 2> /dev/null; then
        echo "peak RSS from GNU time (/usr/bin/time -v)"
    else
        echo "peak RSS from /proc/PID/status VmHWM, polled every 10 ms (no GNU time here)"
    fi
}
