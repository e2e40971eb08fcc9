import { readFileSync } from 'node:fs';
import { parseMarkers, type PhaseMarkers } from '../../src/backend/phase-markers.js';

/** Read the markers the job wrapper wrote in a local job's folder; a missing file means none yet. */
export function readMarkers(file: string): PhaseMarkers {
  try {
    return parseMarkers(readFileSync(file, 'utf8'));
  } catch {
    return parseMarkers(undefined);
  }
}
