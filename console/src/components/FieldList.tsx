import type { ComponentChildren } from 'preact';

/** Label–value pairs, as a description list; rows without a value are left out. */
export function FieldList({ rows }: { rows: Array<[label: string, value: ComponentChildren, key?: string]> }) {
  const shown = rows.filter(([, value]) => value !== undefined && value !== null && value !== '');
  if (shown.length === 0) return null;
  return (
    <dl class="fields">
      {shown.map(([label, value, key]) => (
        <div class="field" key={key ?? label} data-field={key}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
