import { AppError } from '../../platform/errors.js';
import type { EvidenceFileRow, EvidenceRepository, Executor } from './evidence.repository.js';

/**
 * The files a report item or a closure application cites must be uploads of the same round-unit;
 * anything else (another unit's file, an unknown id) is refused as FILE_NOT_IN_ROUND_UNIT, 400.
 */
export async function requireRoundUnitFiles(
  db: Executor,
  repo: EvidenceRepository,
  roundUnitId: number,
  fileIds: readonly number[],
): Promise<EvidenceFileRow[]> {
  const ids = [...new Set(fileIds.map(Number))];
  const rows = await repo.files(db, ids);
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  for (const id of ids) {
    const f = byId.get(id);
    if (!f || Number(f.roundUnitId) !== Number(roundUnitId))
      throw new AppError(400, 'FILE_NOT_IN_ROUND_UNIT', { fileId: id });
  }
  return ids.map((id) => byId.get(id)!);
}
