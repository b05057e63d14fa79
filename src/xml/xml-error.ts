/**
 * Errors of the XML layer, shaped like the project's AppError (`kind`, `code`, message, `cause`)
 * so the application layer can map them without knowing this module.
 */

/**
 * The input is not acceptable XML: not well-formed (XML 1.0 §2.1), not namespace-well-formed
 * (Namespaces in XML 1.0 §7, e.g. an undeclared prefix), or refused by policy (any DOCTYPE,
 * a resource limit). `line` and `column` are 1-based positions reported by the parser
 * (0 when the input was refused before parsing, e.g. by size).
 */
export class XmlError extends Error {
  readonly kind = 'Xml';
  readonly code = 'xml.parse';
  readonly line: number;
  readonly column: number;

  constructor(message: string, line = 0, column = 0, options?: ErrorOptions) {
    super(
      line > 0 ? `XML parse error at ${line}:${column}: ${message}` : `XML parse error: ${message}`,
      options,
    );
    this.name = 'XmlError';
    this.line = line;
    this.column = column;
  }
}

/**
 * A DOM tree cannot be written as well-formed XML 1.0: a name that is not an NCName, a character
 * outside the XML 1.0 `Char` production (§2.2; e.g. U+0000–U+0008 cannot even be written as a
 * character reference), a duplicate attribute, or a reserved namespace misuse.
 * `path` locates the offending element like compareInfoset paths (`/a[1]/b[2]`).
 */
export class XmlSerializeError extends Error {
  readonly kind = 'Xml';
  readonly code = 'xml.serialize';
  readonly path: string;

  constructor(message: string, path: string, options?: ErrorOptions) {
    super(`XML serialize error at ${path || '/'}: ${message}`, options);
    this.name = 'XmlSerializeError';
    this.path = path;
  }
}
