// Turns a compiled cell (JavaScript, after TypeScript removed the types) into the body of an async function
// that the evaluation thread runs, so that cells build on each other like a REPL:
//  - top-level declarations become properties of the global object (`const a = 1` → `globalThis.a = 1`), so a
//    later cell sees them and may declare them again; functions are hoisted the same way;
//  - static imports become `await __retis$import(…)` (ESM and CJS alike, resolved from the engine's cwd) and
//    are hoisted to the top, as ES imports are; `import(…)` calls go through the same resolver;
//  - the last expression statement of a cell is returned: it is the cell's result;
//  - every loop body and function body starts with `__retis$tick()`, which throws when the engine is
//    interrupted: a busy loop stops without signals or killing the thread (see worker.ts);
//  - the generated tail of chain.ts (past `userLength`) is dropped.
import type * as TS from "typescript";
import ts from "./typescript.js";
import { RUNTIME } from "./protocol.js";

export interface CellTransformOptions {
  /** Length of the user's text: statements starting past it are the generated tail. */
  userLength: number;
  /** Return the last expression statement's value. */
  returnLastExpression: boolean;
}

export function cellTransformer(options: CellTransformOptions): TS.TransformerFactory<TS.SourceFile> {
  return (context) => (sourceFile) => {
    const f = context.factory;
    const imports: TS.Statement[] = [];
    const hoisted: TS.Statement[] = [];
    const body: TS.Statement[] = [];
    let importCount = 0;

    const global = (name: string): TS.Expression => f.createPropertyAccessExpression(f.createIdentifier("globalThis"), name);
    const assign = (target: TS.Expression, value: TS.Expression): TS.Statement =>
      f.createExpressionStatement(f.createAssignment(target, value));
    // The check is placed, for source maps, where its loop or function starts: an interrupt then names the
    // user's loop, not a position shifted by the hidden call's length.
    const tick = (at: TS.Node): TS.Statement => {
      const call = f.createCallExpression(f.createIdentifier(RUNTIME.tick), undefined, []);
      const original = ts.getOriginalNode(at);
      if (original.pos >= 0) ts.setSourceMapRange(call, { pos: original.pos, end: original.end });
      return f.createExpressionStatement(call);
    };

    const instrument = (node: TS.Node): TS.Node => instrumentNode(node, context, tick);

    const userStatements = sourceFile.statements.filter((s) => {
      const original = ts.getOriginalNode(s);
      return !(original.pos >= 0 && original.pos >= options.userLength && original.end > options.userLength) && !ts.isExportDeclaration(s);
    });
    const lastStatement = userStatements[userStatements.length - 1];

    for (const raw of userStatements) {
      if (ts.isImportDeclaration(raw)) {
        imports.push(...importStatements(raw, `__retis_m${importCount++}`));
        continue;
      }
      const statement = ts.visitNode(raw, instrument) as TS.Statement;
      if (ts.isVariableStatement(statement)) {
        const isVar = !(statement.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const));
        for (const d of statement.declarationList.declarations) {
          if (ts.isIdentifier(d.name)) {
            if (d.initializer) body.push(assign(global(d.name.text), d.initializer));
            // `var x;` keeps an earlier value, `let x;` starts undefined.
            else body.push(assign(global(d.name.text), isVar ? global(d.name.text) : f.createVoidZero()));
          } else if (d.initializer) {
            body.push(f.createExpressionStatement(f.createParenthesizedExpression(f.createAssignment(pattern(d.name), d.initializer))));
          }
        }
      } else if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) {
        const modifiers = statement.modifiers?.filter((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
        const expression = f.createFunctionExpression(modifiers, statement.asteriskToken, statement.name, undefined, statement.parameters, undefined, statement.body);
        hoisted.push(assign(global(statement.name.text), expression));
      } else if (ts.isClassDeclaration(statement) && statement.name) {
        const modifiers = statement.modifiers?.filter((m) => m.kind === ts.SyntaxKind.Decorator);
        const expression = f.createClassExpression(modifiers, statement.name, undefined, statement.heritageClauses, statement.members);
        body.push(assign(global(statement.name.text), expression));
      } else if (ts.isExportAssignment(statement)) {
        body.push(f.createExpressionStatement(statement.expression));
      } else if (options.returnLastExpression && raw === lastStatement && ts.isExpressionStatement(statement)) {
        body.push(f.createReturnStatement(statement.expression));
      } else {
        body.push(statement);
      }
    }
    return f.updateSourceFile(sourceFile, [...imports, ...hoisted, ...body]);

    /** `{a, b: [c]}` as an assignment target writing globals: `{a: globalThis.a, b: [globalThis.c]}`. */
    function pattern(name: TS.BindingName): TS.Expression {
      if (ts.isIdentifier(name)) return global(name.text);
      if (ts.isObjectBindingPattern(name)) {
        return f.createObjectLiteralExpression(
          name.elements.map((e) => {
            const target = withDefault(pattern(e.name), e.initializer);
            if (e.dotDotDotToken) return f.createSpreadAssignment(target);
            const key = e.propertyName ?? (ts.isIdentifier(e.name) ? f.createIdentifier(e.name.text) : undefined);
            return f.createPropertyAssignment(key as TS.PropertyName, target);
          }),
        );
      }
      return f.createArrayLiteralExpression(
        name.elements.map((e) => {
          if (ts.isOmittedExpression(e)) return f.createOmittedExpression();
          const target = withDefault(pattern(e.name), e.initializer);
          return e.dotDotDotToken ? f.createSpreadElement(target) : target;
        }),
      );
    }
    function withDefault(target: TS.Expression, initializer: TS.Expression | undefined): TS.Expression {
      return initializer ? f.createAssignment(target, initializer) : target;
    }

    /** `import d, {a as b} from "m"` → `const __retis_m0 = await __retis$import("m"); globalThis.d = …default; …`. */
    function importStatements(node: TS.ImportDeclaration, local: string): TS.Statement[] {
      // `with { type: "json" }` travels as import()'s options, as Node wants for JSON.
      const attributes = node.attributes?.elements.map((a) => f.createPropertyAssignment(a.name, a.value));
      const options = attributes ? [f.createObjectLiteralExpression([f.createPropertyAssignment("with", f.createObjectLiteralExpression(attributes))])] : [];
      const load = f.createAwaitExpression(f.createCallExpression(f.createIdentifier(RUNTIME.import), undefined, [node.moduleSpecifier, ...options]));
      const clause = node.importClause;
      if (!clause) return [f.createExpressionStatement(load)];
      const out: TS.Statement[] = [
        f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(local, undefined, undefined, load)], ts.NodeFlags.Const)),
      ];
      const named = (name: string) => f.createCallExpression(f.createIdentifier(RUNTIME.named), undefined, [f.createIdentifier(local), f.createStringLiteral(name)]);
      if (clause.name) out.push(assign(global(clause.name.text), named("default")));
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) out.push(assign(global(bindings.name.text), f.createIdentifier(local)));
      if (bindings && ts.isNamedImports(bindings)) {
        for (const e of bindings.elements) {
          if (e.isTypeOnly) continue;
          out.push(assign(global(e.name.text), named((e.propertyName ?? e.name).text)));
        }
      }
      return out;
    }
  };
}

/** Adds an interrupt check at the start of every loop body and function body, and routes `import()`. */
function instrumentNode(node: TS.Node, context: TS.TransformationContext, tick: (at: TS.Node) => TS.Statement): TS.Node {
  const f = context.factory;
  const visit = (n: TS.Node): TS.Node => instrumentNode(n, context, tick);
  const block = (statement: TS.Statement): TS.Block =>
    ts.isBlock(statement) ? f.updateBlock(statement, [tick(node), ...statement.statements]) : f.createBlock([tick(node), statement], true);

  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
    const visited = ts.visitEachChild(node, visit, context);
    return f.updateCallExpression(visited, f.createIdentifier(RUNTIME.import), undefined, visited.arguments);
  }
  const visited = ts.visitEachChild(node, visit, context);
  if (ts.isForStatement(visited)) return f.updateForStatement(visited, visited.initializer, visited.condition, visited.incrementor, block(visited.statement));
  if (ts.isForOfStatement(visited)) return f.updateForOfStatement(visited, visited.awaitModifier, visited.initializer, visited.expression, block(visited.statement));
  if (ts.isForInStatement(visited)) return f.updateForInStatement(visited, visited.initializer, visited.expression, block(visited.statement));
  if (ts.isWhileStatement(visited)) return f.updateWhileStatement(visited, visited.expression, block(visited.statement));
  if (ts.isDoStatement(visited)) return f.updateDoStatement(visited, block(visited.statement), visited.expression);
  if (ts.isArrowFunction(visited)) {
    const body = ts.isBlock(visited.body) ? block(visited.body) : f.createBlock([tick(node), f.createReturnStatement(visited.body)], false);
    return f.updateArrowFunction(visited, visited.modifiers, visited.typeParameters, visited.parameters, visited.type, visited.equalsGreaterThanToken, body);
  }
  if (ts.isFunctionDeclaration(visited) && visited.body) {
    return f.updateFunctionDeclaration(visited, visited.modifiers, visited.asteriskToken, visited.name, visited.typeParameters, visited.parameters, visited.type, block(visited.body));
  }
  if (ts.isFunctionExpression(visited)) {
    return f.updateFunctionExpression(visited, visited.modifiers, visited.asteriskToken, visited.name, visited.typeParameters, visited.parameters, visited.type, block(visited.body));
  }
  if (ts.isMethodDeclaration(visited) && visited.body) {
    return f.updateMethodDeclaration(visited, visited.modifiers, visited.asteriskToken, visited.name, visited.questionToken, visited.typeParameters, visited.parameters, visited.type, block(visited.body));
  }
  return visited;
}
