import {
  ApartmentOutlined,
  AuditOutlined,
  BellOutlined,
  BookOutlined,
  CalendarOutlined,
  ClockCircleOutlined,
  DashboardOutlined,
  EyeOutlined,
  FileDoneOutlined,
  FileTextOutlined,
  FlagOutlined,
  FormOutlined,
  GlobalOutlined,
  HomeOutlined,
  LineChartOutlined,
  LinkOutlined,
  LockOutlined,
  SafetyCertificateOutlined,
  SendOutlined,
  SettingOutlined,
  SolutionOutlined,
  StarOutlined,
  TableOutlined,
  TeamOutlined,
  ToolOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { lazy, type ReactNode } from 'react';
import type { Permission } from '../../../domain/roles';
import type { Messages } from '../locales/zh-CN';

const HomePage = lazy(() => import('../pages/HomePage'));
const AccountPage = lazy(() => import('../pages/account/AccountPage'));
const OrganisationsPage = lazy(() => import('../pages/admin/OrganisationsPage'));
const LiaisonPage = lazy(() => import('../pages/admin/LiaisonPage'));
const UsersPage = lazy(() => import('../pages/admin/UsersPage'));
const RolesPage = lazy(() => import('../pages/admin/RolesPage'));
const DictionariesPage = lazy(() => import('../pages/admin/DictionariesPage'));
const CalendarPage = lazy(() => import('../pages/admin/CalendarPage'));
const SystemSettingsPage = lazy(() => import('../pages/admin/SystemSettingsPage'));
const SecuritySettingsPage = lazy(() => import('../pages/admin/SecuritySettingsPage'));
const AuditPage = lazy(() => import('../pages/admin/AuditPage'));
const RoundsPage = lazy(() => import('../pages/rounds/RoundsPage'));
const RoundPage = lazy(() => import('../pages/rounds/RoundPage'));
const RoundUnitPage = lazy(() => import('../pages/rounds/RoundUnitPage'));
const LedgerPage = lazy(() => import('../pages/ledger/LedgerPage'));
const ExtensionsPage = lazy(() => import('../pages/ledger/ExtensionsPage'));
const ProgressPage = lazy(() => import('../pages/progress/ProgressPage'));
const ReportPage = lazy(() => import('../pages/progress/ReportPage'));
const MaterialsPage = lazy(() => import('../pages/progress/MaterialsPage'));
const ClosuresPage = lazy(() => import('../pages/closure/ClosuresPage'));
const SupervisionPage = lazy(() => import('../pages/supervision/SupervisionPage'));
const HandoverPage = lazy(() => import('../pages/handover/HandoverPage'));
const CluesPage = lazy(() => import('../pages/clues/CluesPage'));
const MeetingsPage = lazy(() => import('../pages/meetings/MeetingsPage'));
const SurveysPage = lazy(() => import('../pages/surveys/SurveysPage'));
const EvaluationPage = lazy(() => import('../pages/evaluation/EvaluationPage'));
const BoardPage = lazy(() => import('../pages/board/BoardPage'));
const NoticesPage = lazy(() => import('../pages/notices/NoticesPage'));
const ReportsPage = lazy(() => import('../pages/reports/ReportsPage'));
const TasksPage = lazy(() => import('../pages/reports/TasksPage'));
const DisclosurePage = lazy(() => import('../pages/disclosure/DisclosurePage'));

export type MenuLabelKey = `menu.${keyof Messages['menu']}`;
export type MenuGroupKey = 'admin';

/**
 * One page of the signed-in app. The side menu and the routes are both built from MENU: a page
 * whose permission the user lacks is left out of the menu, and its route answers 403.
 * Later pages (rounds, ledger, dashboard …) are added by appending entries here.
 */
export interface MenuEntry {
  key: string;
  /** Route path, relative to the app root ('' = home). */
  path: string;
  /** The permission the page needs (domain/roles.ts); null = any signed-in user. */
  permission: Permission | null;
  labelKey: MenuLabelKey;
  icon: ReactNode;
  element: ReactNode;
  /** Shown inside this submenu; top level when absent. */
  group?: MenuGroupKey;
  /** A route without a menu item (reached from the header). */
  hidden?: boolean;
}

export const MENU_GROUPS: Record<MenuGroupKey, { labelKey: MenuLabelKey; icon: ReactNode }> = {
  admin: { labelKey: 'menu.groupAdmin', icon: <ToolOutlined /> },
};

export const MENU: MenuEntry[] = [
  { key: 'home', path: '', permission: null, labelKey: 'menu.home', icon: <HomeOutlined />, element: <HomePage /> },
  {
    key: 'account',
    path: 'account',
    permission: null,
    labelKey: 'menu.account',
    icon: <UserOutlined />,
    element: <AccountPage />,
    hidden: true,
  },
  {
    key: 'organisations',
    path: 'admin/organisations',
    permission: 'org.read',
    labelKey: 'menu.organisations',
    icon: <ApartmentOutlined />,
    element: <OrganisationsPage />,
    group: 'admin',
  },
  {
    key: 'liaison',
    path: 'admin/liaison',
    permission: 'liaison.read',
    labelKey: 'menu.liaison',
    icon: <LinkOutlined />,
    element: <LiaisonPage />,
    group: 'admin',
  },
  {
    key: 'users',
    path: 'admin/users',
    permission: 'user.read',
    labelKey: 'menu.users',
    icon: <TeamOutlined />,
    element: <UsersPage />,
    group: 'admin',
  },
  {
    key: 'roles',
    path: 'admin/roles',
    permission: 'user.read',
    labelKey: 'menu.roles',
    icon: <SolutionOutlined />,
    element: <RolesPage />,
    group: 'admin',
  },
  {
    key: 'dictionaries',
    path: 'admin/dictionaries',
    permission: 'dict.read',
    labelKey: 'menu.dictionaries',
    icon: <BookOutlined />,
    element: <DictionariesPage />,
    group: 'admin',
  },
  {
    key: 'calendar',
    path: 'admin/calendar',
    permission: 'calendar.read',
    labelKey: 'menu.calendar',
    icon: <CalendarOutlined />,
    element: <CalendarPage />,
    group: 'admin',
  },
  {
    key: 'system-settings',
    path: 'admin/settings/system',
    permission: 'settings.system',
    labelKey: 'menu.systemSettings',
    icon: <SettingOutlined />,
    element: <SystemSettingsPage />,
    group: 'admin',
  },
  {
    key: 'security-settings',
    path: 'admin/settings/security',
    permission: 'settings.security',
    labelKey: 'menu.securitySettings',
    icon: <SafetyCertificateOutlined />,
    element: <SecuritySettingsPage />,
    group: 'admin',
  },
  {
    key: 'audit',
    path: 'admin/audit',
    permission: 'audit.read',
    labelKey: 'menu.audit',
    icon: <AuditOutlined />,
    element: <AuditPage />,
    group: 'admin',
  },
  // Rounds, feedback and the 三清单一台账 ledger (issue 3)
  {
    key: 'rounds',
    path: 'rounds',
    permission: 'round.read',
    labelKey: 'menu.rounds',
    icon: <FlagOutlined />,
    element: <RoundsPage />,
  },
  {
    key: 'round',
    path: 'rounds/:roundId',
    permission: 'round.read',
    labelKey: 'menu.rounds',
    icon: <FlagOutlined />,
    element: <RoundPage />,
    hidden: true,
  },
  {
    key: 'round-unit',
    path: 'rounds/units/:id',
    permission: 'round.read',
    labelKey: 'menu.rounds',
    icon: <FlagOutlined />,
    element: <RoundUnitPage />,
    hidden: true,
  },
  {
    key: 'ledger',
    path: 'ledger',
    permission: 'ledger.read',
    labelKey: 'menu.ledger',
    icon: <TableOutlined />,
    element: <LedgerPage />,
  },
  {
    key: 'extensions',
    path: 'extensions',
    permission: 'ledger.read',
    labelKey: 'menu.extensions',
    icon: <ClockCircleOutlined />,
    element: <ExtensionsPage />,
  },
  // Progress reports, evidence and 对账销号 closure (issue 4)
  {
    key: 'progress',
    path: 'progress',
    permission: 'ledger.read',
    labelKey: 'menu.progress',
    icon: <LineChartOutlined />,
    element: <ProgressPage />,
  },
  {
    key: 'progress-report',
    path: 'progress/reports/:id',
    permission: 'ledger.read',
    labelKey: 'menu.progress',
    icon: <LineChartOutlined />,
    element: <ReportPage />,
    hidden: true,
  },
  {
    key: 'materials',
    path: 'progress/units/:id/materials',
    permission: 'ledger.read',
    labelKey: 'menu.progress',
    icon: <LineChartOutlined />,
    element: <MaterialsPage />,
    hidden: true,
  },
  {
    key: 'closures',
    path: 'closures',
    permission: 'ledger.read',
    labelKey: 'menu.closures',
    icon: <FileDoneOutlined />,
    element: <ClosuresPage />,
  },
  // Day-to-day supervision and handover (issue 5)
  {
    key: 'supervision',
    path: 'supervision',
    permission: 'supervision.read',
    labelKey: 'menu.supervision',
    icon: <EyeOutlined />,
    element: <SupervisionPage />,
  },
  {
    key: 'handover',
    path: 'handover',
    permission: 'handover.send',
    labelKey: 'menu.handover',
    icon: <SendOutlined />,
    element: <HandoverPage />,
  },
  {
    // The same page for the 党风政风室 and the supervision offices (accept, dispatch, their ledger).
    key: 'handover-process',
    path: 'handover-ledger',
    permission: 'handover.process',
    labelKey: 'menu.handover',
    icon: <SendOutlined />,
    element: <HandoverPage />,
  },
  {
    key: 'clues',
    path: 'clues',
    permission: 'clue.receive',
    labelKey: 'menu.clues',
    icon: <LockOutlined />,
    element: <CluesPage />,
  },
  {
    key: 'meetings',
    path: 'meetings',
    permission: 'supervision.read',
    labelKey: 'menu.meetings',
    icon: <TeamOutlined />,
    element: <MeetingsPage />,
  },
  // Evaluation and grading (issue 6)
  {
    key: 'surveys',
    path: 'surveys',
    permission: 'survey.read',
    labelKey: 'menu.surveys',
    icon: <FormOutlined />,
    element: <SurveysPage />,
  },
  {
    key: 'evaluation',
    path: 'evaluation',
    permission: 'evaluation.read',
    labelKey: 'menu.evaluation',
    icon: <StarOutlined />,
    element: <EvaluationPage />,
  },
  // 数着改 and 催着改 (issue 7)
  {
    key: 'board',
    path: 'board',
    permission: 'dashboard.read',
    labelKey: 'menu.board',
    icon: <DashboardOutlined />,
    element: <BoardPage />,
  },
  {
    key: 'reports',
    path: 'reports',
    permission: 'report.read',
    labelKey: 'menu.reports',
    icon: <FileTextOutlined />,
    element: <ReportsPage />,
  },
  {
    key: 'tasks',
    path: 'tasks',
    permission: 'report.read',
    labelKey: 'menu.tasks',
    icon: <ClockCircleOutlined />,
    element: <TasksPage />,
  },
  {
    key: 'notices',
    path: 'notices',
    permission: null,
    labelKey: 'menu.notices',
    icon: <BellOutlined />,
    element: <NoticesPage />,
  },
  // Public disclosure (issue 8)
  {
    key: 'disclosure',
    path: 'disclosure',
    permission: 'disclosure.read',
    labelKey: 'menu.disclosure',
    icon: <GlobalOutlined />,
    element: <DisclosurePage />,
  },
];

/** The entries this user may open, in menu order. */
export function visibleEntries(can: (p: Permission | null) => boolean): MenuEntry[] {
  return MENU.filter((e) => !e.hidden && can(e.permission));
}

/** The entry whose path matches a location pathname best (longest prefix). */
export function entryForPath(pathname: string): MenuEntry | undefined {
  const p = pathname.replace(/^\/+|\/+$/g, '');
  let best: MenuEntry | undefined;
  for (const e of MENU) {
    if (p === e.path || (e.path && p.startsWith(`${e.path}/`))) {
      if (!best || e.path.length > best.path.length) best = e;
    }
  }
  return best;
}
