import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Organisation, Page } from '../api/types';

export const ORGS_KEY = ['organisations', 'all'] as const;

/** Every organisation in scope, paging through the keyset cursor 1,000 at a time. */
export async function fetchAllOrganisations(): Promise<Organisation[]> {
  const all: Organisation[] = [];
  let after: number | null = 0;
  for (let i = 0; i < 1000 && after !== null; i++) {
    const page: Page<Organisation> = await api.get<Page<Organisation>>('/organisations', { limit: 1000, after });
    all.push(...page.items);
    after = page.nextCursor;
  }
  return all;
}

export function useAllOrganisations(enabled = true) {
  return useQuery({ queryKey: ORGS_KEY, queryFn: fetchAllOrganisations, enabled });
}

export interface OrgNode extends Organisation {
  children?: OrgNode[];
}

const bySort = (a: Organisation, b: Organisation) => a.sort - b.sort || a.code.localeCompare(b.code);

/** Builds the tree; an organisation whose parent is out of scope becomes a root. */
export function buildOrgTree(orgs: Organisation[]): OrgNode[] {
  const nodes = new Map<number, OrgNode>(orgs.map((o) => [o.id, { ...o }]));
  const roots: OrgNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.parentId === null ? undefined : nodes.get(n.parentId);
    if (!parent) roots.push(n);
    else if (parent.children) parent.children.push(n);
    else parent.children = [n];
  }
  const sortRec = (list: OrgNode[]) => {
    list.sort(bySort);
    for (const n of list) if (n.children) sortRec(n.children);
  };
  sortRec(roots);
  return roots;
}

export interface OrgTreeOption {
  value: number;
  title: string;
  disabled?: boolean;
  children?: OrgTreeOption[];
}

/** TreeSelect data; `exclude` (and everything below it) is disabled — a parent cannot be its own descendant. */
export function orgTreeOptions(tree: OrgNode[], exclude?: number): OrgTreeOption[] {
  const walk = (list: OrgNode[], blocked: boolean): OrgTreeOption[] =>
    list.map((n) => {
      const b = blocked || n.id === exclude;
      return {
        value: n.id,
        title: n.shortName && n.shortName !== n.name ? `${n.name}（${n.shortName}）` : n.name,
        disabled: b,
        children: n.children ? walk(n.children, b) : undefined,
      };
    });
  return walk(tree, false);
}
