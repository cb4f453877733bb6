#!/bin/sh
# Measures docs/models.md's coercion table: the share of runs in which the
# target complies with the threat of docs/examples/coercion-2013.json, as
# the threat's declared severity and its author's resolve (its
# credibility: the resolve share, the US position on use_of_force / 100,
# times the US capability's share of the pair's, 10 / (10 + 2)) vary, each variant swept over seeds 0..500 paired with the
# example as written (`entente sweep BASE --vs VARIANT`), so that the
# differences are the threat's doing. Run from the repository's root:
#   sh docs/examples/measure-coercion.sh [ENTENTE]
set -eu
entente=${1:-target/release/entente}
base=docs/examples/coercion-2013.json
work=$(mktemp -d)
key=threat_complied:us_strike
printf '| severity \\ US position on use_of_force (credibility) |'
for force in 65 75 85 95; do
  printf ' %s (%s) |' "$force" "$(echo "$force" | awk '{printf "%.2f", $1 / 100 * 10 / 12}')"
done
printf '\n|---|---:|---:|---:|---:|\n'
for share in 0.1 0.3 0.5 0.7; do
  printf '| %s |' "$share"
  for force in 65 75 85 95; do
    variant="$work/s$share-f$force.json"
    jq --argjson s "$share" --argjson f "$force" \
      '.threats[0].severity.share = $s | (.stances[] | select(.actor == "USA" and .issue == "use_of_force") | .position) = $f' \
      "$base" > "$variant"
    "$entente" sweep "$base" --vs "$variant" --seeds 0..500 --out "$work/out.json" > /dev/null 2>&1
    jq -r --arg k "$key" \
      '.paired[] | select(.outcome == $k) | "\(.p_b * 100 | round)% (\(if .difference >= 0 then "+" else "" end)\(.difference * 100 | round))"' \
      "$work/out.json" | tr -d '\n' | sed 's/^/ /; s/$/ |/'
  done
  printf '\n'
done
rm -r "$work"
