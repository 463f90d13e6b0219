/** The words a generated legacy history is made of: what the legacy portal's users typed. */

export const SUPPLIER_STEMS = [
  'Acme',
  'Nordwerk',
  'Kühn & Söhne',
  'Sakura Seiki',
  'Vega',
  'Atlas',
  'Østfold Metall',
  'Crâne Industrie',
  'Brembo-Łódź',
  'Hanse',
  'Duarte & Filhos',
  'Zhejiang Hongda',
  'Pohjola',
  'Alpenguss',
  'Tecnoplast',
  'Şahin Otomotiv',
];
export const SUPPLIER_FORMS = [
  'Castings GmbH',
  'Precision Ltd',
  'Plastics S.A.',
  'Forge AB',
  'Electronics Co., Ltd.',
  'Stamping s.r.o.',
  'Components Sp. z o.o.',
  'Rubber S.p.A.',
];
export const PARTS = [
  'Brake Caliper',
  'Door Module',
  'Seat Frame',
  'Wiring Harness',
  'Headlamp',
  'Oil Pan',
  'Steering Knuckle',
  'Battery Tray',
  'Heat Shield',
  'Wheel Hub',
  'Dashboard Carrier',
  'Mirror Housing',
];
export const TASK_TITLES = [
  'Dimensional report',
  'Material certificates',
  'PPAP submission',
  'Run @ rate',
  'Capability study (Cpk ≥ 1.67)',
  'Tooling approval',
  'Packaging specification',
  'IMDS entry',
  'Control plan',
  'PFMEA review',
  'Initial samples delivered',
  'Appearance approval (AAR)',
  'Gauge R&R',
  'Labelling check',
  'Sub-supplier list',
  'Prüfplan freigegeben',
  'Salt spray test 720 h',
  'Deviation request',
];
export const MILESTONE_PHRASES = [
  'Initial Samples',
  'Production Approval',
  'Pre-series',
  'Serial Release',
  'Tooling Kick-off',
  'Off-tool Parts',
  'Nachbemusterung',
  'Ramp-up',
];
export const NOTE_TEXTS = [
  'Dimensional report uploaded, CMM run attached.',
  'Certificates per EN 10204 3.1 attached.',
  'Trial booked; waiting on tooling release.',
  'Prüfbericht hochgeladen ✅',
  'Échantillons reçus — conformes.',
  '模具已发货，预计下周到达。',
  'Maße i.O., Ø 12,5 mm ±0,05 geprüft 👍',
  'Customer asked for a re-run — see 8D #4711.',
  'Próbki wysłane kurierem, nr przesyłki w załączniku.',
  'Waiting for sub-supplier (ETA unknown) ⏳',
  '"Quoted" text with a backslash \\ and a tab\tinside.',
  'Line one\nline two of a multi-line note.',
];
export const PEOPLE = [
  'j.keller',
  'a.novak',
  'm.rossi',
  'zoë.müller',
  's.tanaka',
  'k.øberg',
  'l.martin',
  'p.kowalski',
];
export const PORTAL_ACTOR = 'legacy-portal';

/** Text a legacy user could have typed: what the read models must keep byte for byte. */
export const AWKWARD_TEXT = [
  'Acme 🚗💨 Castings',
  'מכלול בלמים',
  'مرحبا بالعالم',
  '"quoted" and \'single\'',
  'C:\\legacy\\path\\',
  'two\nlines\r\nand a tab\t',
  'Ünïcödé ñ é (e + ◌́ combining: é)',
  '零件批准 PA2',
  '👨‍👩‍👧 family, 🏳️‍🌈 flag',
  '\u202eRTL override\u202c',
  '{"json": [1, 2]}',
  "'; DROP TABLE tasks; --",
  '%_ like wildcards',
  ' leading and trailing spaces ',
];

export interface TaskTypeTemplate {
  name: string;
  prefix: string;
  /** The first milestone number: part approval milestones historically start at PA2. */
  firstNumber: number;
}
/**
 * The first four hold every rule of the V2 category (EVENTS.md): "part approval" in any case,
 * "nmr", neither, and both (part approval wins); the smallest history creates at least these.
 */
export const TASK_TYPE_TEMPLATES: TaskTypeTemplate[] = [
  { name: 'Part Approval', prefix: 'PA', firstNumber: 2 },
  { name: 'NMR Handling', prefix: 'NMR', firstNumber: 1 },
  { name: 'Tooling Release', prefix: 'TL', firstNumber: 1 },
  { name: 'Supplier NMR / part approval', prefix: 'SPA', firstNumber: 2 },
  { name: 'PART APPROVAL – Castings', prefix: 'PAC', firstNumber: 2 },
  { name: 'Logistics 📦 Onboarding', prefix: 'LO', firstNumber: 1 },
  { name: 'nmr deviation (Änderung)', prefix: 'NMD', firstNumber: 1 },
  { name: 'Quality Audit', prefix: 'QA', firstNumber: 1 },
  { name: 'Run-at-Rate', prefix: 'RR', firstNumber: 1 },
];
