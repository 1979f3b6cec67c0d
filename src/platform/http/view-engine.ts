import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';

type Locals = Record<string, unknown>;
type Template = (locals: Locals) => string;
type Include = (name: string, extra?: Locals) => string;
type Done = (err: unknown, html?: string) => void;

/**
 * EJS as Express's view engine, with the same templates and the same output, but without ejs's
 * per-include work: for every `include()` ejs copies its options and the page's data into new
 * objects and asks the file system whether the file exists (a customer page has up to ten
 * includes). Here each file is compiled once and each include's path resolved once (while the
 * view cache is on: with it off, as in development, every render reads and resolves afresh). An
 * included template sees its parent's data through the prototype chain plus its own, as it
 * would in its copy. The templates' `include` is this engine's: templates run inside
 * `with (locals)`, where a `locals.include` comes before ejs's own.
 */
export function ejsViewEngine(): (file: string, options: object, done: Done) => void {
  const templates = new Map<string, Template>();
  const includes = new Map<string, string>();

  const template = (file: string, cache: boolean): Template => {
    const known = cache ? templates.get(file) : undefined;
    if (known) return known;
    const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    // The data object is this engine's own (never the caller's): ejs need not copy it again.
    const compiled = ejs.compile(text, { filename: file, unsafePrototypeLocals: true } as ejs.Options);
    if (cache) templates.set(file, compiled as Template);
    return compiled as Template;
  };

  const render = (file: string, locals: Locals, cache: boolean): string => {
    const include: Include = (name, extra) => {
      const child = Object.create(locals) as Locals;
      if (extra) Object.assign(child, extra);
      return render(includePath(includes, file, name, cache), child, cache);
    };
    locals.include = include;
    return template(file, cache)(locals);
  };

  return (file, options, done) => {
    let html: string;
    try {
      const cache = Boolean((options as { settings?: Locals }).settings?.['view cache']);
      html = render(file, Object.assign(Object.create(null) as Locals, options), cache);
    } catch (err) {
      return done(err);
    }
    done(null, html);
  };
}

/** Where ejs looks for `include(name)` from `file`: beside it (`.ejs` added), or from `/`. */
function includePath(known: Map<string, string>, file: string, name: string, cache: boolean): string {
  const key = `${file}\0${name}`;
  const found = cache ? known.get(key) : undefined;
  if (found) return found;
  const absolute = /^[A-Za-z]+:\\|^\//.test(name);
  let target = absolute
    ? path.resolve('/', name.replace(/^\/*/, ''))
    : path.resolve(path.dirname(file), name);
  if (!path.extname(name)) target += '.ejs';
  if (!absolute && !existsSync(target)) {
    throw new Error(`Could not find the include file "${ejs.escapeXML(name)}"`);
  }
  if (cache) known.set(key, target);
  return target;
}
