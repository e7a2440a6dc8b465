import { Readable } from 'node:stream';
import { generateActionPlans } from '../src/exchange/action-plan-generator';
import {
  formatActionPlanLine,
  parseActionPlanLine,
  type ActionPlanLine,
} from '../src/exchange/action-plan-line';
import { MAX_LINE_BYTES, readNdjson, type NdjsonLine } from '../src/exchange/ndjson';

/** The smallest valid line: every optional field left out. */
const minimal = () => ({
  camsReference: 'AP-TEST-1',
  client: { camsReference: 'CL-TEST-1', givenName: 'Ana', familyName: 'Côté', birthDate: '1990-04-01' },
  catchmentId: 'peel',
  providerId: 'sp-peel-1',
  referralSource: 'ONTARIO_WORKS',
  assessment: { stream: 'C', assessedOn: '2022-01-10' },
  startedOn: '2022-01-12',
  status: 'ACTIVE',
  closedOn: null,
  jobs: [
    {
      employer: 'Sample Co.',
      startedOn: '2022-03-01',
      hoursPerWeek: 30,
      hourlyWageCents: 1750,
      subsidizedUntil: null,
    },
  ],
  checkpoints: [{ checkpoint: 'MONTH_1', verifiedOn: '2022-04-02', employed: true, evidence: 'PAY_STUB' }],
});

type Mutable = Record<string, any>;
const edited = (edit: (line: Mutable) => void) => {
  const line: Mutable = minimal();
  edit(line);
  return JSON.stringify(line);
};
const reasonOf = (text: string) => {
  const result = parseActionPlanLine(text);
  if (result.ok) throw new Error(`expected a refusal for ${text.slice(0, 200)}`);
  return result.reason;
};

describe('Action-plan exchange format', () => {
  describe('when a line leaves out every optional field', () => {
    const result = parseActionPlanLine(JSON.stringify(minimal()));

    it('is accepted, with the documented defaults', () => {
      expect(result).toEqual({
        ok: true,
        line: expect.objectContaining({
          siteId: null,
          leadCaseworker: null,
          closingReason: null,
          goal: null,
          reviewDates: [],
          referralsOut: [],
          activeOffers: [],
        }),
      });
      const line = (result as { line: ActionPlanLine }).line;
      expect(line.client).toMatchObject({
        indigenous: null,
        francophone: null,
        disability: null,
        newcomer: null,
        racialized: null,
        contact: null,
      });
      expect(line.checkpoints[0]!.attestationPreApproved).toBe(false);
    });

    it('reads a CLOSED plan without a closing reason as closed for OTHER reasons', () => {
      const closed = parseActionPlanLine(
        edited((l) => Object.assign(l, { status: 'CLOSED', closedOn: '2022-09-01' })),
      );
      expect(closed.ok && closed.line.closingReason).toBe('OTHER');
    });

    it('formats it with every field written, in the canonical order', () => {
      const text = formatActionPlanLine((result as { line: ActionPlanLine }).line);
      expect(Object.keys(JSON.parse(text))).toEqual([
        'camsReference',
        'client',
        'catchmentId',
        'providerId',
        'siteId',
        'leadCaseworker',
        'referralSource',
        'assessment',
        'startedOn',
        'status',
        'closedOn',
        'closingReason',
        'goal',
        'reviewDates',
        'referralsOut',
        'activeOffers',
        'employmentAtStart',
        'jobs',
        'checkpoints',
      ]);
      expect(text).not.toContain('\n');
      const again = parseActionPlanLine(text);
      expect(again.ok && formatActionPlanLine(again.line)).toBe(text);
    });
  });

  describe('when a line is not a JSON object', () => {
    it.each([
      ['{"camsReference":', 'not valid JSON'],
      ['{"a":1} trailing', 'not valid JSON (at character 8)'],
      ["{'a':1}", 'not valid JSON (at character 1)'],
      ['[1,2]', 'not a JSON object (found an array)'],
      ['null', 'not a JSON object (found null)'],
      ['42', 'not a JSON object (found a number)'],
      ['"AP-1"', 'not a JSON object (found a string)'],
      ['['.repeat(60_000), 'not valid JSON'],
    ])('refuses %j: %s', (text, reason) => {
      expect(reasonOf(text)).toBe(reason);
    });
  });

  describe('when a line is longer than 64 KiB', () => {
    const padded = (bytes: number) => {
      const text = JSON.stringify(minimal());
      return text + ' '.repeat(bytes - Buffer.byteLength(text));
    };

    it('accepts exactly the limit and refuses one byte more', () => {
      expect(parseActionPlanLine(padded(MAX_LINE_BYTES)).ok).toBe(true);
      expect(reasonOf(padded(MAX_LINE_BYTES + 1))).toBe('line is longer than 65536 bytes');
    });

    it('counts bytes, not characters', () => {
      const text = edited((l) => (l.client.givenName = 'é'.repeat(150))); // 2 bytes each
      const overByOneByte = text + ' '.repeat(MAX_LINE_BYTES + 1 - Buffer.byteLength(text));
      expect(overByOneByte.length).toBeLessThan(MAX_LINE_BYTES);
      expect(reasonOf(overByOneByte)).toBe('line is longer than 65536 bytes');
    });
  });

  describe('when a field is missing, unknown or of the wrong type', () => {
    const required = Object.keys(minimal());
    it.each(required)('names the missing field %s', (field) => {
      expect(reasonOf(edited((l) => delete l[field]))).toBe(`${field}: required`);
    });

    it.each([
      [(l: Mutable) => (l.middleName = 'X'), 'middleName: unknown field'],
      [(l: Mutable) => (l.client.middleName = 'X'), 'client.middleName: unknown field'],
      [(l: Mutable) => (l.jobs[0].bonus = 1), 'jobs[0].bonus: unknown field'],
      [(l: Mutable) => delete l.client.birthDate, 'client.birthDate: required'],
      [(l: Mutable) => (l.client = null), 'client: must not be null'],
      [(l: Mutable) => (l.jobs = {}), 'jobs: expected an array'],
      [(l: Mutable) => (l.jobs[0].hourlyWageCents = '1750'), 'jobs[0].hourlyWageCents: expected a number'],
      [(l: Mutable) => (l.jobs[0].hourlyWageCents = 17.5), 'jobs[0].hourlyWageCents: expected an integer'],
      [(l: Mutable) => (l.jobs[0].hourlyWageCents = -1), 'jobs[0].hourlyWageCents: must be ≥ 0'],
      [(l: Mutable) => (l.jobs[0].hourlyWageCents = 100_001), 'jobs[0].hourlyWageCents: must be ≤ 100000'],
      [(l: Mutable) => (l.jobs[0].hoursPerWeek = 169), 'jobs[0].hoursPerWeek: must be ≤ 168'],
      [
        (l: Mutable) => (l.checkpoints[0].employed = 'yes'),
        'checkpoints[0].employed: expected true or false',
      ],
      [(l: Mutable) => (l.jobs = Array(21).fill(l.jobs[0])), 'jobs: must have at most 20 items'],
    ])('refuses the line (%#): %s', (edit, reason) => {
      expect(reasonOf(edited(edit))).toBe(reason);
    });

    it('refuses a number JSON cannot hold', () => {
      const text = JSON.stringify(minimal()).replace('"hoursPerWeek":30', '"hoursPerWeek":1e400');
      expect(reasonOf(text)).toBe('jobs[0].hoursPerWeek: expected a number');
    });

    it('refuses own __proto__ keys as unknown fields', () => {
      const text = JSON.stringify(minimal()).replace('{', '{"__proto__":{"polluted":true},');
      expect(reasonOf(text)).toBe('__proto__: unknown field');
      expect(({} as Mutable).polluted).toBeUndefined();
    });

    it('names the first three problems and counts the others', () => {
      const reason = reasonOf(
        edited((l) => {
          l.client.birthDate = 'soon';
          l.status = 'OPEN';
          l.startedOn = '2022-13-01';
          l.referralSource = 'FRIEND';
        }),
      );
      expect(reason).toBe(
        'client.birthDate: not a date (YYYY-MM-DD); referralSource: must be one of ONTARIO_WORKS, ODSP, SELF, OTHER; startedOn: not a date (YYYY-MM-DD) (and 1 more)',
      );
    });
  });

  describe('when an enum or a date is not one of the format', () => {
    it.each([
      [
        (l: Mutable) => (l.client.indigenous = 'MAYBE'),
        'client.indigenous: must be one of YES, NO, PREFER_NOT_TO_ANSWER',
      ],
      [(l: Mutable) => (l.assessment.stream = 'D'), 'assessment.stream: must be one of A, B, C'],
      [(l: Mutable) => (l.status = 'active'), 'status: must be one of ACTIVE, CLOSED'],
      [
        (l: Mutable) => (l.checkpoints[0].checkpoint = 'MONTH_2'),
        'checkpoints[0].checkpoint: must be one of MONTH_1, MONTH_3, MONTH_6, MONTH_12',
      ],
      [
        (l: Mutable) => (l.checkpoints[0].evidence = 'SELFIE'),
        'checkpoints[0].evidence: must be one of PAY_STUB, EMPLOYER_LETTER, ATTESTATION',
      ],
      [(l: Mutable) => (l.client.birthDate = '1990-02-30'), 'client.birthDate: not a date (YYYY-MM-DD)'],
      [(l: Mutable) => (l.client.birthDate = '1990-4-1'), 'client.birthDate: not a date (YYYY-MM-DD)'],
      [(l: Mutable) => (l.client.birthDate = 19900401), 'client.birthDate: not a date (YYYY-MM-DD)'],
      [
        (l: Mutable) => (l.client.birthDate = '1990-04-01T00:00:00Z'),
        'client.birthDate: not a date (YYYY-MM-DD)',
      ],
      [
        (l: Mutable) => (l.client.birthDate = '1899-12-31'),
        'client.birthDate: must be between 1900-01-01 and 2099-12-31',
      ],
      [(l: Mutable) => (l.closedOn = '2022-02-29'), 'closedOn: not a date (YYYY-MM-DD)'],
      [
        (l: Mutable) => (l.camsReference = 'CL-1'),
        'camsReference: must be "AP-" then up to 61 letters, digits, ".", "_" or "-"',
      ],
      [
        (l: Mutable) => (l.client.camsReference = 'CL- 1'),
        'client.camsReference: must be "CL-" then up to 61 letters, digits, ".", "_" or "-"',
      ],
      [
        (l: Mutable) => (l.providerId = '../etc'),
        'providerId: must be an identifier (letters, digits, ".", "_", ":", "-")',
      ],
      [(l: Mutable) => (l.catchmentId = { $ne: null }), 'catchmentId: expected a string'],
    ])('refuses the line (%#): %s', (edit, reason) => {
      expect(reasonOf(edited(edit))).toBe(reason);
    });
  });

  describe('when a text holds hostile or out-of-bounds characters', () => {
    const controls = 'must not contain control, bidirectional or unpaired surrogate characters';
    it.each([
      ['', 'must not be blank'],
      ['   ', 'must not be blank'],
      ['x'.repeat(201), 'must be at most 200 characters'],
      ['Ana\u0000', controls],
      ['Ana\u001b[31m', controls],
      ['Ana\nSmith', controls],
      ['Ana\u0085', controls],
      ['Ana\u2028', controls],
      ['Ana\u202eevil', controls],
      ['Ana\u2066', controls],
      ['Ana\ud800', controls],
      ['\udc00Ana', controls],
    ])('refuses the given name %j', (value, message) => {
      expect(reasonOf(edited((l) => (l.client.givenName = value)))).toBe(`client.givenName: ${message}`);
    });

    it('accepts names in any script, emoji included', () => {
      for (const name of ['Zoë', "O'Brien", 'Nguyễn', '李', 'أحمد', 'Ana 🙂'])
        expect(parseActionPlanLine(edited((l) => (l.client.givenName = name))).ok).toBe(true);
    });

    it('accepts line breaks and tabs in long texts only', () => {
      const note = (value: string) =>
        edited(
          (l) => (l.referralsOut = [{ programId: 'apprenticeship', referredOn: '2022-02-01', note: value }]),
        );
      expect(parseActionPlanLine(note('Line one\r\n\tline two')).ok).toBe(true);
      expect(parseActionPlanLine(note('x'.repeat(1000))).ok).toBe(true);
      expect(reasonOf(note('x'.repeat(1001)))).toBe('referralsOut[0].note: must be at most 1000 characters');
      expect(reasonOf(note('bell\u0007'))).toBe(`referralsOut[0].note: ${controls}`);
    });

    it('never repeats a value in the reason', () => {
      const reason = reasonOf(edited((l) => (l.client.familyName = 'Private\u0000Person')));
      expect(reason).not.toContain('Private');
    });
  });

  describe('when the status, closing date and closing reason disagree', () => {
    it.each([
      [{ status: 'CLOSED', closedOn: null }, 'closedOn: required when status is CLOSED'],
      [{ status: 'ACTIVE', closedOn: '2022-05-01' }, 'closedOn: must be null when status is ACTIVE'],
      [{ status: 'ACTIVE', closingReason: 'EMPLOYED' }, 'closingReason: must be null when status is ACTIVE'],
    ])('refuses %j', (fields, reason) => {
      expect(reasonOf(edited((l) => Object.assign(l, fields)))).toBe(reason);
    });
  });

  describe('when generated lines are formatted and read back', () => {
    it('gives every line back exactly, and formats it to the same text', () => {
      let checked = 0;
      for (const plan of generateActionPlans({ seed: 11, scale: 0.01 })) {
        const text = formatActionPlanLine(plan);
        const parsed = parseActionPlanLine(text);
        if (!parsed.ok) throw new Error(`${plan.camsReference}: ${parsed.reason}`);
        expect(parsed.line).toEqual(plan);
        expect(formatActionPlanLine(parsed.line)).toBe(text);
        checked += 1;
      }
      expect(checked).toBeGreaterThan(4000);
    });
  });
});

const collect = async (chunks: (string | Buffer)[], maxLineBytes?: number) => {
  const lines: NdjsonLine[] = [];
  for await (const line of readNdjson(Readable.from(chunks, { objectMode: true }), { maxLineBytes }))
    lines.push(line);
  return lines;
};

describe('Exchange NDJSON reader', () => {
  it('numbers every line, skips blank ones, and reads a last line without a newline', async () => {
    expect(await collect(['{"a":1}\n\n   \n{"b":2}\n\t\n{"c":3}'])).toEqual([
      { lineNumber: 1, text: '{"a":1}' },
      { lineNumber: 4, text: '{"b":2}' },
      { lineNumber: 6, text: '{"c":3}' },
    ]);
  });

  it('tolerates CRLF endings and a byte order mark on line 1 only', async () => {
    const lines = await collect([Buffer.from([0xef, 0xbb, 0xbf]), '{"a":1}\r\n\r\n\ufeff{"b":2}\r\n']);
    expect(lines).toEqual([
      { lineNumber: 1, text: '{"a":1}' },
      { lineNumber: 3, text: '\ufeff{"b":2}' },
    ]);
    expect(parseActionPlanLine(lines[1]!.text!)).toEqual({ ok: false, reason: 'not valid JSON' });
  });

  it('joins lines and characters split across chunks', async () => {
    const text = '{"name":"Côté 李 🙂"}\n{"b":2}\n';
    const bytes = [...Buffer.from(text)].map((b) => Buffer.from([b]));
    expect(await collect(bytes)).toEqual([
      { lineNumber: 1, text: '{"name":"Côté 李 🙂"}' },
      { lineNumber: 2, text: '{"b":2}' },
    ]);
  });

  it('reports a line that is not UTF-8, and reads on', async () => {
    expect(await collect([Buffer.from([0x7b, 0xff, 0x7d, 0x0a]), '{"b":2}'])).toEqual([
      { lineNumber: 1, text: null, error: 'line is not valid UTF-8' },
      { lineNumber: 2, text: '{"b":2}' },
    ]);
  });

  it('reports an over-long line without holding it, and reads on', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let produced = 0;
    async function* huge() {
      yield Buffer.from('{"a":1}\n');
      for (; produced < 160; produced += 1) yield chunk; // 10 MiB on one line
      yield Buffer.from('\n{"b":2}\n');
    }
    const lines: NdjsonLine[] = [];
    for await (const line of readNdjson(huge(), { maxLineBytes: 1024 })) lines.push(line);
    expect(lines).toEqual([
      { lineNumber: 1, text: '{"a":1}' },
      { lineNumber: 2, text: null, error: 'line is longer than 1024 bytes' },
      { lineNumber: 3, text: '{"b":2}' },
    ]);
  });

  it('measures the limit in bytes, without the line ending', async () => {
    const exact = 'é'.repeat(8); // 16 bytes
    expect(await collect([`${exact}\r\n${exact}x\n`], 16)).toEqual([
      { lineNumber: 1, text: exact },
      { lineNumber: 2, text: null, error: 'line is longer than 16 bytes' },
    ]);
  });
});
