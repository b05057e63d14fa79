// Distinguished names as text for messages and CLI output: RFC 4514 §2 (most significant RDN
// last, `+` inside multi-valued RDNs, §2.4 escaping).

import type { ParsedName } from '../lint/certificate.ts';
import { DN_SHORT_NAMES } from '../profiles/oids.ts';

function escapeValue(v: string): string {
  // RFC 4514 §2.4: escape , + " \ < > ; everywhere, # and space at the start, space at the end.
  let out = v.replace(/[,+"\\<>;]/g, (c) => `\\${c}`);
  out = out.replace(/^([# ])/, '\\$1').replace(/ $/, '\\ ');
  // Control characters would garble a terminal: hex-escape them (§2.4 hexpair form).
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return out.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function formatName(name: ParsedName): string {
  if (name.rdns.length === 0) return '(empty name)';
  return [...name.rdns]
    .reverse()
    .map((rdn) =>
      rdn
        .map(
          (a) => `${DN_SHORT_NAMES[a.oid] ?? a.oid}=${a.value === null ? '#<binary>' : escapeValue(a.value)}`,
        )
        .join('+'),
    )
    .join(',');
}
