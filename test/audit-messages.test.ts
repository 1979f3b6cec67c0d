import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_LABELS } from '../src/audit/audit.messages.js';
import { actionLabel, describeDetails, targetLabel } from '../src/reports/audit-log.view.js';

const ROOT = path.resolve(import.meta.dirname, '..');

function tsFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => path.join(d.parentPath, d.name));
}

/**
 * Every `'group.action'` literal in a file that writes audit entries (recordAudit, audit,
 * customerEvent). Definition paths such as 'options.emoney' are not actions.
 */
function recordedActions(): Set<string> {
  const found = new Set<string>();
  for (const file of ['src', 'jobs', 'scripts'].flatMap(tsFiles)) {
    if (file.includes(`${path.sep}audit${path.sep}`)) continue;
    const text = readFileSync(file, 'utf8');
    if (!/\b(recordAudit|audit|customerEvent)\(/.test(text)) continue;
    for (const m of text.matchAll(/'([a-z]+\.[a-z_]+)'/g))
      if (!m[1]!.startsWith('options.')) found.add(m[1]!);
  }
  for (const m of readFileSync(path.join(ROOT, 'src/reports/audit-log.routes.ts'), 'utf8').matchAll(
    /action: '([a-z]+\.[a-z_]+)'/g,
  ))
    found.add(m[1]!);
  return found;
}

describe('the audit log catalogue', () => {
  it('when an action is recorded anywhere in the code, then the catalogue has its Japanese label, and it has no label for an action nothing records', () => {
    const recorded = recordedActions();
    expect(recorded.size).toBeGreaterThan(40);
    const known = Object.keys(AUDIT_ACTION_LABELS);
    expect([...recorded].filter((a) => !known.includes(a)).sort()).toEqual([]);
    expect(known.filter((a) => !recorded.has(a)).sort()).toEqual([]);
    for (const label of Object.values(AUDIT_ACTION_LABELS)) expect(label).not.toMatch(/[a-z]{2}/);
  });

  it('when an action or target is not in the catalogue, then it reads as Japanese with its key beside it', () => {
    expect(actionLabel('staff.sign_in')).toEqual({ label: 'ログイン', unknownKey: null });
    expect(actionLabel('future.thing')).toEqual({ label: '未登録の操作', unknownKey: 'future.thing' });
    // Keys of Object.prototype are not labels.
    expect(actionLabel('constructor').unknownKey).toBe('constructor');
    expect(targetLabel('shipping_batch')).toEqual({ label: '出荷バッチ', unknownKey: null });
    expect(targetLabel('robot')).toEqual({ label: 'その他', unknownKey: 'robot' });
  });

  it('when details are described, then keys get labels, identifiers stay as recorded, and objects become nested lists', () => {
    const items = describeDetails({
      step: 'totp',
      batchIds: ['12', '13'],
      lines: 1200,
      valid: false,
      brokenAt: null,
      slug: 'acme-2026',
      filter: { action: 'report.', from: '2026-04-01', robot: 'x' },
      newKey: 'v',
    });
    expect(items).toEqual([
      { label: '段階', unknownKey: null, text: '確認コード（TOTP）', raw: false },
      { label: '出荷バッチのID', unknownKey: null, text: '12、13', raw: true },
      { label: '行数', unknownKey: null, text: '1,200', raw: false },
      { label: '正常', unknownKey: null, text: 'いいえ', raw: false },
      { label: '異常のあった記録のID', unknownKey: null, text: 'なし', raw: false },
      { label: 'スラッグ', unknownKey: null, text: 'acme-2026', raw: true },
      {
        label: '絞り込み条件',
        unknownKey: null,
        items: [
          { label: '操作', unknownKey: null, text: 'report.', raw: true },
          { label: '開始日', unknownKey: null, text: '2026-04-01', raw: true },
          { label: 'その他の項目', unknownKey: 'robot', text: 'x', raw: true },
        ],
      },
      { label: 'その他の項目', unknownKey: 'newKey', text: 'v', raw: true },
    ]);
    // Deeper objects are shown as recorded.
    expect(describeDetails({ outcome: { kind: 'erased', extra: { a: 1 } } })[0]!.items![1]).toEqual({
      label: 'その他の項目',
      unknownKey: 'extra',
      text: '{"a":1}',
      raw: true,
    });
  });
});
