// What a cell declares at its top level, read from its own text (a quick parse, no program): the names later
// cells must see, and how (a `let` stays assignable, a `const` does not, a class or type is imported).
import type * as TS from "typescript";
import ts from "./typescript.js";

/** How a later cell sees a name: `let`/`var`/`const` become `declare` of the same kind; the rest is imported. */
export type DeclarationKind = "let" | "var" | "const" | "import";

export type TopLevelNames = Map<string, DeclarationKind>;

export interface CellNames {
  names: TopLevelNames;
  /** Names the user exported already (`export const x`): the generated tail must not export them again. */
  exported: Set<string>;
  /** Every identifier the code mentions: only these earlier names need bringing in to check it. */
  mentioned: Set<string>;
}

export function topLevelNames(code: string): CellNames {
  const sf = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const names: TopLevelNames = new Map();
  const exported = new Set<string>();
  for (const statement of sf.statements) {
    const before = new Set(names.keys());
    collect(statement, names);
    const isExported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (isExported) for (const name of names.keys()) if (!before.has(name)) exported.add(name);
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const e of statement.exportClause.elements) exported.add(e.name.text);
    }
  }
  const mentioned = new Set<string>();
  const visit = (node: TS.Node): void => {
    if (ts.isIdentifier(node)) mentioned.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { names, exported, mentioned };
}

function collect(statement: TS.Statement, names: TopLevelNames): void {
  if (ts.isVariableStatement(statement)) {
    const flags = statement.declarationList.flags;
    const kind: DeclarationKind = flags & ts.NodeFlags.Const ? "const" : flags & ts.NodeFlags.Let ? "let" : "var";
    for (const declaration of statement.declarationList.declarations) bindingNames(declaration.name, (n) => names.set(n, kind));
  } else if (
    (ts.isFunctionDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isEnumDeclaration(statement)) &&
    statement.name
  ) {
    names.set(statement.name.text, "import");
  } else if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) {
    names.set(statement.name.text, "import");
  } else if (ts.isImportDeclaration(statement) && statement.importClause) {
    const clause = statement.importClause;
    if (clause.name) names.set(clause.name.text, "import");
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) names.set(bindings.name.text, "import");
    if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) names.set(e.name.text, "import");
  } else if (ts.isImportEqualsDeclaration(statement)) {
    names.set(statement.name.text, "import");
  }
}

function bindingNames(name: TS.BindingName, add: (name: string) => void): void {
  if (ts.isIdentifier(name)) return add(name.text);
  for (const element of name.elements) if (!ts.isOmittedExpression(element)) bindingNames(element.name, add);
}
