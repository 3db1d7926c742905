/** The patch markers a workflow history holds, and its TemporalChangeVersion upserts (src/workflows/patches.ts). */
import type { temporal } from '@temporalio/proto';

export interface PatchTrail {
  /** The ids of the history's patch markers, in order. */
  markers: string[];
  /** How many events upsert TemporalChangeVersion (the SDK adds one to each new patch marker). */
  changeVersionUpserts: number;
}

export function patchTrail(history: temporal.api.history.v1.IHistory): PatchTrail {
  const markers: string[] = [];
  let changeVersionUpserts = 0;
  for (const e of history.events ?? []) {
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName === 'core_patch') {
      const data = marker.details?.['patch-data']?.payloads?.[0]?.data;
      const id = data ? (JSON.parse(Buffer.from(data).toString('utf8')) as { id?: string }).id : undefined;
      markers.push(id ?? '(unreadable)');
    }
    const fields = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {};
    if ('TemporalChangeVersion' in fields) changeVersionUpserts += 1;
  }
  return { markers, changeVersionUpserts };
}
