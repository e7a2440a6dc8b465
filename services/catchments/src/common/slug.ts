/** A stable id from a name: `WCG INTERNATIONAL CONSULTANTS LTD` → `wcg-international-consultants-ltd`. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
