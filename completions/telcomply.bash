# bash completion for telcomply(1). Installed as
# /usr/share/bash-completion/completions/telcomply; tests/e2e/package.sh checks that it
# offers every command and option that --help lists.

# _telcomply_options PATH: the options of the command PATH ("" for telcomply itself,
# "cookies check" for a subcommand's subcommand).
_telcomply_options() {
  case "$1" in
    "") echo "--config --db -h --help --version -q --quiet -v --verbose --print-config-path" ;;
    export) echo "--customer --email --phone --kvk -o --output --format --force --unmask --ticket --operator --lang" ;;
    scrub) echo "--apply --as-of --customer --report --force --format --allow-mass-delete --key-file --operator --batch-size --busy-timeout --no-vacuum --rebuild --replay --since" ;;
    lint) echo "--format --strict" ;;
    register) echo "--format --lang -o --output --force" ;;
    "cookies check") echo "--policy --format --input-format --before-consent --captured-at --strict" ;;
    "cookies scan") echo "--policy -o --output --force --max-pages --max-redirects --timeout --max-body --cookie --phase --browser --resolve --idle --delay --page-timeout --scan-timeout" ;;
    "cookies table") echo "--policy --format --lang --fragment -o --output --force" ;;
    "subprocessors list") echo "-o --output --force --service --format --all --date --lang" ;;
    "subprocessors check") echo "--service --format --transfers --date --strict" ;;
    "subprocessors diff") echo "-o --output --force --service --git --format --date --lang" ;;
    "audit verify") echo "--log --package" ;;
    "audit show") echo "--log --command --since --until --ticket --format --lang" ;;
  esac
  [ -n "$1" ] && echo "-h --help"
}

# _telcomply_subcommands PATH: the subcommands of PATH.
_telcomply_subcommands() {
  case "$1" in
    "") echo "export scrub cookies subprocessors lint register audit" ;;
    cookies) echo "check scan table" ;;
    subprocessors) echo "list check diff" ;;
    audit) echo "verify show" ;;
  esac
}

# _telcomply_values OPTION: the values of OPTION, "FILE" for a file name, "" for free text.
_telcomply_values() {
  case "$1" in
    --config | --db | -o | --output | --report | --key-file | --policy | --transfers | --log | --package) echo FILE ;;
    --format) case "$2" in
        export) echo "json html" ;;
        scrub | "audit show") echo "text json" ;;
        lint | "cookies check" | "subprocessors check") echo "text json github junit sarif" ;;
        "subprocessors diff") echo "md html json" ;;
        *) echo "md html csv json" ;;
      esac ;;
    --lang) echo "en nl" ;;
    --command) echo "export scrub" ;;
    --input-format) echo "auto har edps netscape playwright csv scan gdpr-cookie-scanner" ;;
    --phase) echo "before-consent consent-refused consent-given" ;;
  esac
}

_telcomply_bash() {
  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD - 1]}"
  local cmdpath="" word i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="${COMP_WORDS[i]}"
    [[ "$word" == -* ]] && continue
    [[ -n "$(_telcomply_values "${COMP_WORDS[i - 1]}" "$cmdpath")" && "${COMP_WORDS[i - 1]}" == -* ]] && continue
    [[ " $(_telcomply_subcommands "$cmdpath") " == *" $word "* ]] && cmdpath="${cmdpath:+$cmdpath }$word"
  done
  local values
  values="$(_telcomply_values "$prev" "$cmdpath")"
  if [[ "$prev" == -* && -n "$values" ]]; then
    if [ "$values" = FILE ]; then
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    else
      mapfile -t COMPREPLY < <(compgen -W "$values" -- "$cur")
    fi
    return
  fi
  if [[ "$cur" == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_telcomply_options "$cmdpath") $(_telcomply_options "")" -- "$cur")
  else
    mapfile -t COMPREPLY < <(compgen -W "$(_telcomply_subcommands "$cmdpath")" -- "$cur")
    [ ${#COMPREPLY[@]} -eq 0 ] && mapfile -t COMPREPLY < <(compgen -f -- "$cur")
  fi
}
# zsh sources this file for the tables above (_telcomply); only bash registers it.
[ -n "${BASH_VERSION-}" ] && complete -F _telcomply_bash telcomply
