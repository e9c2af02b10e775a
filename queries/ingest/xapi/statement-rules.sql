-- The errors an xAPI statement can have, over the typed table (type.sql): each rejects its statement; with
-- --accept-partial the others load. Field rules apply to statements that parse as a JSON object only, so that
-- one defect gives one problem. Columns name the statement's JSON path, not a staging column: a value is
-- shown only when set, cut to 100 characters (a broken field can be arbitrarily long). The words are the
-- catalogue's (@says_code, src/ingest/problems/xapi-problems.ts): every one says what a row number means in
-- the file ({{rows}}, its layout).

-- @rule not_json
-- @severity error
-- @says_code xapi.not_json
-- @value NULL
-- @when
NOT json_ok;

-- @rule not_object
-- @severity error
-- @says_code xapi.not_object
-- @value NULL
-- @when
json_ok AND NOT is_object;

-- @rule repeated_key
-- @severity error
-- @says_code xapi.repeated_key
-- @value NULL
-- @when
json_ok AND is_object AND repeats_key;

-- @rule id_uuid
-- @severity error
-- @column id
-- @says_code xapi.id_uuid
-- @value left(statement_id_text, 100)
-- @when
json_ok AND is_object AND statement_id_present AND NOT statement_id_valid;

-- @rule actor_unnamed
-- @severity error
-- @column actor
-- @says_code xapi.actor_unnamed
-- @value NULL
-- @when
json_ok AND is_object AND actor_source IS NULL;

-- @rule mbox_mailto
-- @severity error
-- @column actor.mbox
-- @says_code xapi.mbox_mailto
-- @value withheld
-- @when
json_ok AND is_object AND actor_mbox_not_mailto;

-- @rule verb_required
-- @severity error
-- @column verb.id
-- @says_code xapi.verb_required
-- @value NULL
-- @when
json_ok AND is_object AND NOT verb_id_present;

-- @rule result_object
-- @severity error
-- @column result
-- @says_code xapi.result_not_object
-- @value NULL
-- @when
json_ok AND is_object AND result_not_object;

-- An IRI: a scheme, a colon, and no spaces (RFC 3987, loosely: apps send http(s) and urn IRIs).
-- @rule verb_iri
-- @severity error
-- @column verb.id
-- @says_code xapi.verb_iri
-- @value left(verb_id_text, 100)
-- @when
json_ok AND is_object AND verb_id_present AND (verb_id IS NULL OR NOT regexp_full_match(verb_id, '[A-Za-z][A-Za-z0-9+.\-]*:\S+'));

-- @rule timestamp_required
-- @severity error
-- @column timestamp
-- @says_code xapi.timestamp_required
-- @value NULL
-- @when
json_ok AND is_object AND NOT ts_present;

-- @rule timestamp_form
-- @severity error
-- @column timestamp
-- @says_code xapi.timestamp_form
-- @value left(ts_text, 100)
-- @when
json_ok AND is_object AND ts_present AND ts IS NULL;

-- @rule duration_form
-- @severity error
-- @column result.duration
-- @says_code xapi.duration_form
-- @value left(duration_text, 100)
-- @when
json_ok AND is_object AND duration_present AND duration_s IS NULL;

-- @rule scaled_number
-- @severity error
-- @column result.score.scaled
-- @says_code xapi.scaled_number
-- @value left(score_scaled_text, 100)
-- @when
json_ok AND is_object AND score_scaled_present AND score_scaled IS NULL;

-- @rule scaled_range
-- @severity error
-- @column result.score.scaled
-- @says_code xapi.scaled_range
-- @value left(score_scaled_text, 100)
-- @when
json_ok AND is_object AND NOT score_scaled BETWEEN -1 AND 1;

-- @rule raw_number
-- @severity error
-- @column result.score.raw
-- @says_code xapi.raw_number
-- @value left(score_raw_text, 100)
-- @when
json_ok AND is_object AND score_raw_present AND score_raw IS NULL;

-- @rule success_boolean
-- @severity error
-- @column result.success
-- @says_code xapi.success_boolean
-- @value left(success_text, 100)
-- @when
json_ok AND is_object AND success_present AND success IS NULL;

-- @rule completion_boolean
-- @severity error
-- @column result.completion
-- @says_code xapi.completion_boolean
-- @value left(completion_text, 100)
-- @when
json_ok AND is_object AND completion_present AND completion IS NULL;
