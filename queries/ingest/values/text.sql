-- Free text (names, subjects, IDs a school makes up; {{text}}: the column): longer than 200 characters is
-- an error (the value shown cut short); a line break, tab or other control character is a warning, and
-- normalise-text.sql replaces each run of them by one space.

-- @rule text_too_long
-- @severity error
-- @column {{text}}
-- @applies file
-- @value left({{text}}, 40) || '…'
-- @says_ja 200 文字を超えています
-- @says longer than 200 characters
-- @when
length({{text}}) > 200;

-- @rule text_control_character
-- @severity warning
-- @column {{text}}
-- @applies file
-- @value NULL
-- @says_ja 改行などの制御文字があります。空白に置き換えて読み込みました
-- @says a line break or other control character: loaded with a space instead
-- @when
regexp_matches({{text}}, '[\x00-\x1f\x7f]');
