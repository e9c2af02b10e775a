-- 特別支援学級の障害種別: the type of disability a special-needs class serves (学校基本調査 counts classes
-- and their students by it). The OneRoster Japan profile has no field for it; Shirube reads its own
-- extension column classes.csv `metadata.shirube.disabilityType` (README, Ingest). NULL: not given, or not a
-- special-needs class. Codes: intellectual | physical | health | low_vision | hearing | speech | autism_emotional
-- (labels: the `disability` vocabulary).
ALTER TABLE roster_classes ADD COLUMN disability_type VARCHAR;
ALTER TABLE homerooms ADD COLUMN disability_type VARCHAR;
