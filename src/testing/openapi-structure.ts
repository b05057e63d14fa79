// Test support: structural checks of an OpenAPI 3.0 document that need no validator package
// (docs/openapi.md). Returns the problems found; [] = none. Checked: version and info, path templates
// vs path parameters, responses on every operation (valid status keys, descriptions), unique
// operationIds and parameters, security requirements naming defined schemes, local $refs that
// resolve, a tag on every operation.

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolvePointer(doc: unknown, ref: string): unknown {
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObj(node) || !Object.hasOwn(node, token)) return undefined;
    node = node[token];
  }
  return node;
}

function* refs(node: unknown, at: string): Generator<[string, string]> {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) yield* refs(node[i], `${at}/${i}`);
  } else if (isObj(node)) {
    if (typeof node.$ref === 'string') yield [node.$ref, at];
    for (const [k, v] of Object.entries(node)) yield* refs(v, `${at}/${k}`);
  }
}

export function openApiStructureProblems(doc: unknown): string[] {
  const problems: string[] = [];
  if (!isObj(doc)) return ['the document is not an object'];
  if (typeof doc.openapi !== 'string' || !/^3\.0\.\d+$/.test(doc.openapi))
    problems.push(`openapi is ${JSON.stringify(doc.openapi)}, not 3.0.x`);
  const info = doc.info;
  if (!isObj(info) || typeof info.title !== 'string' || typeof info.version !== 'string')
    problems.push('info.title and info.version must be strings');
  if (!isObj(doc.paths)) {
    problems.push('paths must be an object');
    return problems;
  }
  const components = isObj(doc.components) ? doc.components : {};
  const schemes = isObj(components.securitySchemes) ? components.securitySchemes : {};
  const operationIds = new Set<string>();

  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith('/')) problems.push(`${path}: a path must start with /`);
    if (!isObj(item)) {
      problems.push(`${path}: not a path item object`);
      continue;
    }
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
    const pathLevel = Array.isArray(item.parameters) ? item.parameters : [];
    let operations = 0;
    for (const method of METHODS) {
      const op = item[method];
      if (op === undefined) continue;
      operations++;
      const where = `${method.toUpperCase()} ${path}`;
      if (!isObj(op)) {
        problems.push(`${where}: not an operation object`);
        continue;
      }
      if (typeof op.operationId === 'string') {
        if (operationIds.has(op.operationId))
          problems.push(`${where}: duplicate operationId ${op.operationId}`);
        operationIds.add(op.operationId);
      }
      if (!Array.isArray(op.tags) || op.tags.length === 0) problems.push(`${where}: no tag`);
      const params = [...pathLevel, ...(Array.isArray(op.parameters) ? op.parameters : [])].filter(isObj);
      const seen = new Set<string>();
      for (const p of params) {
        if (typeof p.name !== 'string' || typeof p.in !== 'string') {
          problems.push(`${where}: a parameter without name / in`);
          continue;
        }
        const key = `${p.in}:${p.name}`;
        if (seen.has(key) && !pathLevel.includes(p)) problems.push(`${where}: parameter ${key} twice`);
        seen.add(key);
        if (p.in === 'path') {
          if (p.required !== true) problems.push(`${where}: path parameter ${p.name} not required`);
          if (!templated.includes(p.name))
            problems.push(`${where}: path parameter ${p.name} not in the path`);
        }
      }
      for (const name of templated) {
        if (!params.some((p) => p.in === 'path' && p.name === name))
          problems.push(`${where}: {${name}} has no path parameter`);
      }
      const responses = op.responses;
      if (!isObj(responses) || Object.keys(responses).length === 0) {
        problems.push(`${where}: no responses`);
      } else {
        for (const [code, response] of Object.entries(responses)) {
          if (!/^(default|[1-5]XX|[1-5]\d\d)$/.test(code)) problems.push(`${where}: response key ${code}`);
          if (
            !isObj(response) ||
            (typeof response.description !== 'string' && typeof response.$ref !== 'string')
          )
            problems.push(`${where}: response ${code} has no description`);
        }
      }
      if (op.security !== undefined) {
        if (!Array.isArray(op.security)) problems.push(`${where}: security must be an array`);
        else {
          for (const requirement of op.security) {
            if (!isObj(requirement)) continue;
            for (const name of Object.keys(requirement))
              if (!Object.hasOwn(schemes, name)) problems.push(`${where}: security scheme ${name} undefined`);
          }
        }
      }
    }
    if (operations === 0) problems.push(`${path}: no operation`);
  }
  for (const [ref, at] of refs(doc, '#')) {
    if (ref.startsWith('#/') && resolvePointer(doc, ref) === undefined)
      problems.push(`${at}: $ref ${ref} does not resolve`);
  }
  return problems;
}
