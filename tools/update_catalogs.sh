#!/bin/sh
# Re-extract the messages from the code and merge them into every language's catalog.
# Then translate the new or changed (fuzzy) entries in translations/<lang>/LC_MESSAGES/messages.po.
set -e
cd "$(dirname "$0")/.."
pybabel extract -F translations/babel.cfg -k pgettext:1c,2 --no-location --sort-output -w 100 \
    --project=digcomp-app --copyright-holder="DigComp recognition app developers" \
    -o translations/messages.pot .
pybabel update -i translations/messages.pot -d translations --ignore-obsolete -w 100 \
    --no-fuzzy-matching
