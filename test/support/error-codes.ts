/**
 * Derives, per operation, the error statuses and codes its handler can answer, by following the
 * TypeScript call graph from each `httpHandler("<operationId>", fn)` through services, domain rules,
 * repositories and lib helpers, and collecting every `new ApiError(status, "CODE")` (directly or via
 * the helpers in functions/lib/errors.ts such as `conflict("SLOT_FULL", …)`). It also collects the
 * media types of `new RawResponse(status, body, { "content-type": … })` and the request headers a
 * handler reads (`headers["idempotency-key"]`).
 *
 * The result is kept in functions/lib/openapi-errors.generated.ts (the OpenAPI document is built in
 * the Lambda, where sources are not at hand); functions/lib/openapi.test.ts fails when it is stale.
 * Regenerate with `npx tsx test/support/error-codes.ts --write`.
 *
 * The pipeline's own answers (400 validation, 401/403 auth, 413/415 bodies, 429, 500, 503) are
 * added per route by functions/lib/openapi.ts, not here.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export interface OperationFacts {
  /** status → error codes, sorted. */
  errors: Record<string, string[]>;
  /** status → media types of non-JSON answers (RawResponse). */
  media: Record<string, string[]>;
  /** Request headers the handler reads, lower case. */
  headers: string[];
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const GENERATED = join(ROOT, "functions", "lib", "openapi-errors.generated.ts");

/** A fact found in one function: a literal code, or one taken from the function's parameter `param`. */
type Code = { status: number; code: string } | { status: number; param: number };

interface Summary {
  codes: Code[];
  media: { status: number; type: string }[];
  headers: string[];
  /** Calls and references to other functions of ours, with the call's arguments when it is a call. */
  edges: { target: ts.Node; args?: readonly ts.Expression[]; at: ts.Node }[];
}

const walkFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walkFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });

type FunctionLike =
  | ts.FunctionDeclaration
  | ts.MethodDeclaration
  | ts.ArrowFunction
  | ts.FunctionExpression
  | ts.GetAccessorDeclaration
  | ts.ConstructorDeclaration;

const isFunctionLike = (node: ts.Node): node is FunctionLike =>
  ts.isFunctionDeclaration(node) ||
  ts.isMethodDeclaration(node) ||
  ts.isArrowFunction(node) ||
  ts.isFunctionExpression(node) ||
  ts.isGetAccessorDeclaration(node) ||
  ts.isConstructorDeclaration(node);

export function analyseHandlers(root = ROOT): Record<string, OperationFacts> {
  const configPath = join(root, "tsconfig.json");
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const handlerFiles = walkFiles(join(root, "functions", "handlers"));
  // Only our own files matter: packages and the standard library are read as empty modules, which
  // keeps the analysis to a few seconds (their symbols are never followed anyway).
  const options = { ...parsed.options, noEmit: true, noLib: true, types: [] };
  const host = ts.createCompilerHost(options);
  const readSource = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, onError, create) =>
    fileName.includes(`${sep}node_modules${sep}`) || fileName.includes("/node_modules/")
      ? ts.createSourceFile(fileName, "export {};", language)
      : readSource(fileName, language, onError, create);
  const program = ts.createProgram(handlerFiles, options, host);
  const checker = program.getTypeChecker();
  const ours = (file: ts.SourceFile) => {
    const rel = relative(root, file.fileName);
    return (
      !file.isDeclarationFile &&
      !rel.startsWith("..") &&
      !rel.includes(`node_modules${sep}`) &&
      (rel.startsWith(`functions${sep}`) || rel.startsWith(`shared${sep}`))
    );
  };
  const where = (node: ts.Node) => {
    const file = node.getSourceFile();
    const { line } = file.getLineAndCharacterOfPosition(node.getStart());
    return `${relative(root, file.fileName)}:${line + 1}`;
  };
  const problems: string[] = [];

  const resolveSymbol = (node: ts.Node): ts.Symbol | undefined => {
    let symbol = checker.getSymbolAtLocation(node);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    return symbol;
  };
  const declarationOf = (node: ts.Node): ts.Declaration | undefined => {
    const declaration = resolveSymbol(node)?.declarations?.[0];
    return declaration && ours(declaration.getSourceFile()) ? declaration : undefined;
  };
  const isClass = (node: ts.Expression, name: string) => {
    const declaration = declarationOf(node);
    return (
      !!declaration &&
      ts.isClassDeclaration(declaration) &&
      declaration.name?.text === name &&
      relative(root, declaration.getSourceFile().fileName) ===
        join("functions", "lib", name === "ApiError" ? "errors.ts" : "http.ts")
    );
  };

  /** A literal value behind an expression: a literal, or a `const` initialised with one. */
  const literal = (expression: ts.Expression | undefined, seen = 0): string | number | undefined => {
    if (!expression || seen > 5) return undefined;
    if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression))
      return expression.text;
    if (ts.isNumericLiteral(expression)) return Number(expression.text);
    if (ts.isParenthesizedExpression(expression) || ts.isAsExpression(expression))
      return literal(expression.expression, seen + 1);
    if (ts.isIdentifier(expression) || ts.isPropertyAccessExpression(expression)) {
      const declaration = declarationOf(ts.isIdentifier(expression) ? expression : expression.name);
      if (declaration && ts.isVariableDeclaration(declaration))
        return literal(declaration.initializer, seen + 1);
    }
    return undefined;
  };

  /** The target a reference leads to: a function body or a constant's initializer. */
  const targetOf = (declaration: ts.Declaration): ts.Node | undefined => {
    if (isFunctionLike(declaration)) return declaration;
    if (ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration))
      return declaration.initializer;
    if (ts.isShorthandPropertyAssignment(declaration)) return undefined;
    return undefined;
  };

  const summaries = new Map<ts.Node, Summary>();
  function summarise(target: ts.Node): Summary {
    const cached = summaries.get(target);
    if (cached) return cached;
    const summary: Summary = { codes: [], media: [], headers: [], edges: [] };
    summaries.set(target, summary);
    const params = isFunctionLike(target) ? target.parameters.map((p) => p.name) : [];
    const paramIndex = (expression: ts.Expression) => {
      if (!ts.isIdentifier(expression)) return -1;
      const symbol = checker.getSymbolAtLocation(expression);
      return params.findIndex((p) => ts.isIdentifier(p) && checker.getSymbolAtLocation(p) === symbol);
    };
    const visit = (node: ts.Node) => {
      if (ts.isNewExpression(node) && isClass(node.expression, "ApiError")) {
        const [statusArg, codeArg] = node.arguments ?? [];
        const status = literal(statusArg);
        const code = literal(codeArg);
        if (typeof status !== "number") problems.push(`${where(node)}: ApiError status is not a literal`);
        else if (typeof code === "string") summary.codes.push({ status, code });
        else if (codeArg && paramIndex(codeArg) >= 0)
          summary.codes.push({ status, param: paramIndex(codeArg) });
        else problems.push(`${where(node)}: ApiError code is neither a literal nor a parameter`);
      } else if (ts.isNewExpression(node) && isClass(node.expression, "RawResponse")) {
        const [statusArg, , headersArg] = node.arguments ?? [];
        const status = literal(statusArg);
        const type =
          headersArg && ts.isObjectLiteralExpression(headersArg)
            ? headersArg.properties.find(
                (p): p is ts.PropertyAssignment =>
                  ts.isPropertyAssignment(p) &&
                  (ts.isStringLiteral(p.name) || ts.isIdentifier(p.name)) &&
                  p.name.text.toLowerCase() === "content-type",
              )?.initializer
            : undefined;
        const value = literal(type);
        if (typeof status !== "number" || typeof value !== "string")
          problems.push(`${where(node)}: RawResponse status or content-type is not a literal`);
        else summary.media.push({ status, type: value.split(";")[0]?.trim().toLowerCase() ?? value });
      } else if (
        ts.isElementAccessExpression(node) &&
        ts.isStringLiteral(node.argumentExpression) &&
        /(^|\.)headers$/.test(node.expression.getText())
      ) {
        summary.headers.push(node.argumentExpression.text.toLowerCase());
      }
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        const callee = ts.isPropertyAccessExpression(node.expression)
          ? node.expression.name
          : node.expression;
        const declaration = declarationOf(callee);
        const target = declaration && targetOf(declaration);
        if (target) summary.edges.push({ target, args: node.arguments ?? [], at: node });
      } else if (
        (ts.isIdentifier(node) &&
          !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) &&
          !(ts.isCallExpression(node.parent) && node.parent.expression === node)) ||
        (ts.isPropertyAccessExpression(node) && !ts.isCallExpression(node.parent))
      ) {
        // a function passed or read as a value (a callback, a map of handlers, a constant)
        const name = ts.isPropertyAccessExpression(node) ? node.name : node;
        const declaration = declarationOf(name);
        const target = declaration && targetOf(declaration);
        if (target && target !== node && !isWithin(node, target)) summary.edges.push({ target, at: node });
      }
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(target, visit);
    return summary;
  }
  const isWithin = (node: ts.Node, ancestor: ts.Node) => {
    for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === ancestor) return true;
    return false;
  };

  /**
   * Everything reachable from a function, with its own parameter-dependent codes left open. Results
   * are memoised unless they were cut short by recursion into a function still being closed (`open`
   * collects those), so a function reached first from inside a cycle is closed again later in full.
   */
  type Closure = { codes: Code[]; media: Summary["media"]; headers: string[] };
  const closures = new Map<ts.Node, Closure>();
  function close(target: ts.Node, stack: Set<ts.Node>, open: Set<ts.Node>): Closure {
    const cached = closures.get(target);
    if (cached) return cached;
    const summary = summarise(target);
    const result: Closure = {
      codes: [...summary.codes],
      media: [...summary.media],
      headers: [...summary.headers],
    };
    if (stack.has(target)) {
      open.add(target); // recursion: the caller up the stack adds the rest
      return result;
    }
    stack.add(target);
    const inner = new Set<ts.Node>();
    const params = isFunctionLike(target) ? target.parameters : [];
    for (const edge of summary.edges) {
      const reached = close(edge.target, stack, inner);
      result.media.push(...reached.media);
      result.headers.push(...reached.headers);
      for (const code of reached.codes) {
        if ("code" in code) {
          result.codes.push(code);
          continue;
        }
        const arg = edge.args?.[code.param];
        const value = literal(arg);
        if (typeof value === "string") result.codes.push({ status: code.status, code: value });
        else if (arg && ts.isIdentifier(arg)) {
          const symbol = checker.getSymbolAtLocation(arg);
          const index = params.findIndex(
            (p) => ts.isIdentifier(p.name) && checker.getSymbolAtLocation(p.name) === symbol,
          );
          if (index >= 0) result.codes.push({ status: code.status, param: index });
          else problems.push(`${where(edge.at)}: error code argument is not a literal`);
        } else if (edge.args) problems.push(`${where(edge.at)}: error code argument is not a literal`);
      }
    }
    stack.delete(target);
    inner.delete(target);
    const unique: Closure = {
      codes: [...new Map(result.codes.map((c) => [JSON.stringify(c), c])).values()],
      media: [...new Map(result.media.map((m) => [JSON.stringify(m), m])).values()],
      headers: [...new Set(result.headers)],
    };
    if (inner.size === 0) closures.set(target, unique);
    else for (const node of inner) open.add(node);
    return unique;
  }

  const facts: Record<string, OperationFacts> = {};
  for (const file of program.getSourceFiles().filter((f) => handlerFiles.includes(resolve(f.fileName)))) {
    const visit = (node: ts.Node) => {
      if (
        ts.isCallExpression(node) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === "httpHandler" &&
        node.arguments[0] &&
        ts.isStringLiteral(node.arguments[0]) &&
        node.arguments[1]
      ) {
        const operationId = node.arguments[0].text;
        const reached = close(node.arguments[1], new Set(), new Set());
        const errors: Record<string, Set<string>> = {};
        for (const code of reached.codes) {
          if (!("code" in code)) {
            problems.push(`${operationId}: an error code depends on a handler parameter`);
            continue;
          }
          errors[code.status] ??= new Set();
          errors[code.status]?.add(code.code);
        }
        const media: Record<string, Set<string>> = {};
        for (const m of reached.media) {
          media[m.status] ??= new Set();
          media[m.status]?.add(m.type);
        }
        if (facts[operationId]) problems.push(`${where(node)}: a second handler for ${operationId}`);
        facts[operationId] = {
          errors: sortedRecord(errors),
          media: sortedRecord(media),
          headers: [...new Set(reached.headers)].sort(),
        };
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  if (problems.length) throw new Error(`error-code analysis failed:\n${[...new Set(problems)].join("\n")}`);
  return Object.fromEntries(Object.entries(facts).sort(([a], [b]) => a.localeCompare(b)));
}

const sortedRecord = (record: Record<string, Set<string>>) =>
  Object.fromEntries(
    Object.entries(record)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([k, v]) => [k, [...v].sort()]),
  );

export function renderGenerated(facts: Record<string, OperationFacts>): string {
  return `/**
 * GENERATED by \`npx tsx test/support/error-codes.ts --write\` from the handlers' call graphs; do not
 * edit by hand. Per operation: the error statuses and codes its own code can throw, the media types
 * of its non-JSON answers, and the request headers it reads. functions/lib/openapi.ts adds the
 * pipeline's own answers (validation, auth, body limits, throttling, 500, 503); openapi.test.ts fails
 * when this file no longer matches the sources.
 */
export const operationFacts: Record<
  string,
  { errors: Record<string, readonly string[]>; media: Record<string, readonly string[]>; headers: readonly string[] }
> = ${JSON.stringify(facts, null, 2)};
`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const facts = analyseHandlers();
  if (process.argv.includes("--write")) {
    writeFileSync(GENERATED, renderGenerated(facts));
    execFileSync(join(ROOT, "node_modules", ".bin", "biome"), ["check", "--write", GENERATED], {
      stdio: "inherit",
    });
    console.log(`wrote ${relative(process.cwd(), GENERATED)} (${Object.keys(facts).length} operations)`);
  } else {
    console.log(JSON.stringify(facts, null, 2));
  }
}
