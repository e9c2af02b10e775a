import { createHash } from 'node:crypto';
import type { Provenance } from './survey.types.js';

/**
 * A figure's provenance as an answer row stores it: the ingest batches behind it are a set stored once
 * (provenance_batch_sets), named by the SHA-256 of its batch ids in order, space-separated — with daily loads a
 * school's figure comes from ~200 batches, the same for every school and every answer of a metric, and 25,000 answers
 * each carrying 7 KB of batch ids would be most of what an issue writes and a report reads. Reading an answer for a
 * person (the response view) puts the batches back: `Provenance`.
 */
export type StoredProvenance = Omit<Provenance, 'batches'> & { batchSet: string };

/** A batch set's name; migration 1764892800000 computes the same in SQL for the answers stored before it. */
export function batchSetId(batches: readonly string[]): string {
  return createHash('sha256').update(batches.join(' ')).digest('hex');
}

/** The stored form of a provenance: its batches replaced by the name of their set. */
export function storedProvenance({ batches, ...head }: Provenance): StoredProvenance {
  return { ...head, batchSet: batchSetId(batches) };
}
