#!/usr/bin/env bash
# Instruction counts of the benchmarks' workloads under callgrind: a measure that, unlike
# time, does not move with the load of a shared machine. For each workload it runs the bench
# executable's profile mode (ROOM_SESSIONS_BENCH_PROFILE) at two sizes and reports the
# marginal instructions per operation (the difference divided by the extra operations, so that
# start-up, TLS root loading and warm-up cancel out), and the ratios the targets are about.
#
# Instructions are not time (cache misses, system calls and waiting are not counted): read
# these ratios next to the timed ones of `cargo bench`, not instead of them.
#
# Usage: benchmarks/callgrind.sh [decode] [requests] [paging]   (default: all three)
# Needs valgrind. Takes about 5 minutes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 1; }

parts=("$@")
((${#parts[@]})) || parts=(decode requests paging)

work="$(mktemp -d -t room-sessions-callgrind.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# The bench executables, built as `cargo bench` builds them.
declare -A exe
while IFS= read -r line; do
  name=$(sed -n 's/.*"target":{[^}]*"name":"\([^"]*\)".*/\1/p' <<<"$line")
  path=$(sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' <<<"$line")
  [[ -n "$name" && -n "$path" ]] && exe[$name]="$path"
done < <(cargo bench -p room-sessions-benchmarks --no-run --message-format=json 2>/dev/null |
  grep '"executable":"/')

# instructions <bench> <workload> <count> [thread]: instructions of the whole run, or of one
# thread's part (callgrind numbers threads from 1 in the order they start).
instructions() {
  # "<client>:threads" asks for the multi-thread layout: the count goes between the two.
  local workload="$2" layout=""
  if [[ "$workload" == *:* ]]; then
    layout=":${workload#*:}"
    workload="${workload%%:*}"
  fi
  local out="$work/$1.$workload$layout.$3"
  if [[ ! -e "$out" ]]; then
    # A recording client (wrapper-recording) writes its lines to the run's temporary
    # directory, beside the profile; the others ignore the variable.
    # A failed run would otherwise end the script without a word (it runs in `$(...)`).
    if ! ROOM_SESSIONS_BENCH_PROFILE="$workload:$3$layout" ROOM_SESSIONS_BENCH_RECORD="$out.ndjson" \
      valgrind --tool=callgrind --separate-threads=yes \
      --callgrind-out-file="$out" "${exe[$1]}" >/dev/null 2>"$out.log"; then
      echo "$1 $workload:$3$layout failed under valgrind:" >&2
      tail -5 "$out.log" >&2
      exit 1
    fi
    touch "$out"
    # A recording that missed exchanges would make recording look cheap: a line a request.
    if [[ -e "$out.ndjson" ]]; then
      local lines
      lines=$(wc -l <"$out.ndjson")
      ((lines == $3)) || { echo "$out: $lines lines recorded for $3 requests" >&2; exit 1; }
    fi
  fi
  if [[ -n "${4:-}" ]]; then
    awk '/^summary:/ { print $2 }' "$(printf '%s-%02d' "$out" "$4")"
  else
    cat "$out"-* | awk '/^summary:/ { s += $2 } END { print s }'
  fi
}

# marginal <bench> <workload> <small> <large> [thread]: instructions per operation.
marginal() {
  local a b
  a=$(instructions "$1" "$2" "$3" "${5:-}")
  b=$(instructions "$1" "$2" "$4" "${5:-}")
  awk -v a="$a" -v b="$b" -v n=$(($4 - $3)) 'BEGIN { printf "%.0f", (b - a) / n }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

echo "# callgrind instruction counts ($(valgrind --version), $(rustc --version))"

if [[ " ${parts[*]} " == *" decode "* ]]; then
  echo
  echo "## decode (instructions per decode)"
  for what in session:20000:60000 page:20:60; do
    IFS=: read -r kind small large <<<"$what"
    g=$(marginal decode "generated-$kind" "$small" "$large")
    h=$(marginal decode "handwritten-$kind" "$small" "$large")
    v=$(marginal decode "value-$kind" "$small" "$large")
    echo "$kind: generated $g, hand-written $h, Value $v; generated / hand-written $(ratio "$g" "$h") (target <= 1.2), generated / Value $(ratio "$g" "$v") (target < 1)"
  done
fi

if [[ " ${parts[*]} " == *" requests "* ]]; then
  echo
  echo "## requests (instructions per sequential GET)"
  echo "Client and server on one thread (reproducible to a few instructions from run to run; a"
  echo "rebuild, even of unrelated code, moves a count by up to a few hundred, 0.3%: code layout and"
  echo "the allocator's paths), and the server's part (its thread, in the multi-thread layout):"
  declare -A total
  for subject in wrapper generated raw-reqwest user-written; do
    total[$subject]=$(marginal requests "$subject" 1000 3000)
    server=$(marginal requests "$subject:threads" 1000 3000 2)
    echo "$subject: ${total[$subject]} in all, of which about $server in the server"
  done
  echo "wrapper / raw reqwest: $(ratio "${total[wrapper]}" "${total[raw-reqwest]}") (throughput at the same CPU: $(ratio "${total[raw-reqwest]}" "${total[wrapper]}"), target >= 0.95)"
  echo "generated / raw reqwest: $(ratio "${total[generated]}" "${total[raw-reqwest]}")"
  echo "wrapper / generated: $(ratio "${total[wrapper]}" "${total[generated]}") (what the hand-written layer adds, target <= 1.01)"
  echo "wrapper / user-written: $(ratio "${total[wrapper]}" "${total[user-written]}") (against the client a user would write: reqwest into a plain struct)"
  # Recording: the wrapper with `record(file)`, a line appended per request to a file in this
  # run's temporary directory (the write system call's kernel side is not counted). The server's
  # part is the same as the wrapper's, so only the one-thread layout is run.
  recording=$(marginal requests wrapper-recording 1000 3000)
  echo "wrapper-recording: $recording in all, a line of $(($(wc -c <"$work/requests.wrapper-recording.3000.ndjson") / 3000)) bytes a request"
  echo "wrapper with recording / without: $(ratio "$recording" "${total[wrapper]}") (target <= 1.15)"
fi

if [[ " ${parts[*]} " == *" paging "* ]]; then
  echo
  echo "## paging (instructions per listing of 10 pages of 1000 sessions)"
  w=$(marginal paging wrapper 1 3)
  r=$(marginal paging raw-reqwest 1 3)
  echo "wrapper $w, raw reqwest $r; wrapper / raw reqwest $(ratio "$w" "$r")"
fi
