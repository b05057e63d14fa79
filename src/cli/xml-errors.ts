// Recognises the XML layer's errors by their discriminant (works across module copies).
export function isXmlError(e: unknown): e is Error & { kind: 'Xml'; code: string } {
  return (
    e instanceof Error &&
    (e as { kind?: unknown }).kind === 'Xml' &&
    typeof (e as { code?: unknown }).code === 'string'
  );
}
