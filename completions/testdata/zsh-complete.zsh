# Asks zsh's completion system what it offers for a command line, as a user pressing TAB.
# Usage: zsh -f zsh-complete.zsh SETUP_FILE LINE
# Starts an interactive zsh in a pseudo-terminal (zsh/zpty), sources SETUP_FILE in it, types
# LINE and a TAB, and copies the terminal output to stdout until the completion is done.
# SETUP_FILE must load the completion under test, print <<ready>> once done, wrap compadd so
# that every offered match is printed as <<m:MATCH:m>>, and print <<done>> after completing.
emulate -L zsh
zmodload zsh/zpty || exit 2
local setup=$1 line=$2 out

zpty assume_pty zsh -f -i
zpty -w assume_pty "source ${(q)setup}"
# Every read returns one line (or what is there); stop at the markers.
while zpty -r assume_pty out; do
  [[ $out == *'<<ready>>'* ]] && break
done
zpty -w -n assume_pty "$line"$'\t'
while zpty -r assume_pty out; do
  print -rn -- "$out"
  [[ $out == *'<<done>>'* ]] && break
done
zpty -d assume_pty
