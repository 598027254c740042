#!/usr/bin/env bash
# Regenerates experiments/results/languages.csv from nothing: imports Debian's Asterisk prompts for es, fr, it and ru
# (installing the packages when missing), pools each language with the 10 h English pool, pre-trains the pooled arm,
# fine-tunes the three arms × 3 seeds and scores them (greedy and with a 4-gram LM). Every step is idempotent: run it
# again after an interruption and finished imports, points and scores are kept. ≈ 7.5 h of one core; the two sweeps
# fan out with `--index N` (docs/experiments.md, "Sweeps on a cluster").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
languages=(es fr it ru)   # the points of experiments/sweeps/languages*.json
[ -f data/tts-en-10h/train.tsv ] || ./wav2vec data synth --hours 10 --seed 0 --out data/tts-en-10h
for l in "${languages[@]}"; do
  [ -f "data/asterisk-$l/train-10min.tsv" ] || ./wav2vec data import asterisk --language "$l" --out "data/asterisk-$l"
  if [ ! -f "data/pool-asterisk-$l/train.tsv" ]; then
    ./wav2vec data pool --balance --out "data/pool-asterisk-$l" data/tts-en-10h/train.tsv "data/asterisk-$l/train.tsv"
    ./wav2vec data pool --out "data/pool-asterisk-$l" --split dev "data/asterisk-$l/dev.tsv"
  fi
done
./wav2vec sweep experiments/sweeps/languages-pretrain.json
./wav2vec sweep experiments/sweeps/languages.json
./wav2vec sweep experiments/sweeps/languages.json --collect --lm 4
