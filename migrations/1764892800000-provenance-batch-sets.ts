import type { MigrationInterface, QueryRunner } from 'typeorm';

/** batchSetId (src/surveys/batch-sets.ts) in SQL, of an answer's stored batch list. */
const SET_ID = `encode(sha256(convert_to(array_to_string(ARRAY(
  SELECT b FROM jsonb_array_elements_text(provenance->'batches') WITH ORDINALITY AS x(b, n) ORDER BY n), ' '), 'UTF8')), 'hex')`;

/**
 * The ingest batches behind a pre-filled figure, stored once as a set instead of in every answer (batch-sets.ts):
 * with daily loads a figure comes from ~200 batches, the same for every school and every answer of a metric. An
 * answer's provenance names its set (`batchSet`, the SHA-256 of the batch ids in order, space-separated); the batches of
 * the answers stored before are moved into sets here.
 */
export class ProvenanceBatchSets1764892800000 implements MigrationInterface {
  name = 'ProvenanceBatchSets1764892800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE provenance_batch_sets (
        id       text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
        batches  jsonb NOT NULL CHECK (jsonb_typeof(batches) = 'array')
      )`);
    await queryRunner.query(`
      INSERT INTO provenance_batch_sets (id, batches)
      SELECT DISTINCT ON (id) id, batches
      FROM (SELECT ${SET_ID} AS id, provenance->'batches' AS batches FROM survey_answers WHERE provenance ? 'batches') x
      ORDER BY id`);
    await queryRunner.query(`
      UPDATE survey_answers SET provenance = (provenance - 'batches') || jsonb_build_object('batchSet', ${SET_ID})
      WHERE provenance ? 'batches'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE survey_answers a SET provenance = (a.provenance - 'batchSet') || jsonb_build_object('batches', s.batches)
      FROM provenance_batch_sets s WHERE s.id = a.provenance->>'batchSet'`);
    await queryRunner.query(`DROP TABLE provenance_batch_sets`);
  }
}
