import { useQuery } from '@tanstack/react-query';
import type { Drill } from '../../../../domain/dashboard';
import type { Light, MeasureStatus } from '../../../../domain/rectification';
import { api } from '../../api/client';
import type { Figures } from '../ledger/types';

export type { Drill };

export interface BoardFilter {
  termId?: number;
  roundId?: number;
  unitOrgId?: number;
  categoryCode?: string;
}

export interface BoardData {
  filter: BoardFilter;
  today: string;
  figures: Figures;
  drill: Record<
    | 'units'
    | 'problems'
    | 'rectifiedProblems'
    | 'measures'
    | 'doneMeasures'
    | 'closedMeasures'
    | 'overdue'
    | 'rulesEstablished'
    | 'fundsReturned'
    | 'lossesRecovered'
    | 'peopleHeldAccountable'
    | 'casesFiled',
    Drill
  >;
  byStatus: { status: MeasureStatus; count: number; drill: Drill }[];
  byCategory: {
    categoryCode: string;
    problems: number;
    rectifiedProblems: number;
    measures: number;
    doneMeasures: number;
    overdue: number;
    rectificationRate: number | null;
    drill: { measures: Drill; doneMeasures: Drill; overdue: Drill };
  }[];
  ranking: {
    rank: number;
    unitOrgId: number;
    unitName: string;
    problems: number;
    measures: number;
    doneMeasures: number;
    rectificationRate: number | null;
    overdue: number;
    dueSoon: number;
    stalled: number;
    light: Light;
    drill: { measures: Drill; doneMeasures: Drill; overdue: Drill };
  }[];
  lights: Record<Light, number>;
  trend: {
    month: string;
    completed: number;
    due: number;
    cumulativeDone: number;
    cumulativeRate: number | null;
    drill: { completed: Drill; due: Drill };
  }[];
}

/** The dashboard's data for a filter; `refetchInterval` for the wall display. */
export function useBoard(filter: BoardFilter, refetchInterval?: number) {
  return useQuery({
    queryKey: ['dashboard', 'board', filter],
    queryFn: () => api.get<BoardData>('/dashboard/board', { ...filter }),
    refetchInterval,
    placeholderData: (prev) => prev,
  });
}

/** Reads the board's filter from the address (so a filtered board can be shared or opened on the wall). */
export function filterFromParams(p: URLSearchParams): BoardFilter {
  const n = (k: string) => {
    const v = Number(p.get(k));
    return Number.isInteger(v) && v > 0 ? v : undefined;
  };
  return {
    termId: n('termId'),
    roundId: n('roundId'),
    unitOrgId: n('unitOrgId'),
    categoryCode: p.get('categoryCode') || undefined,
  };
}

export function filterToParams(f: BoardFilter): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== '') out[k] = String(v);
  return out;
}

export const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v.toFixed(1)}%`);
