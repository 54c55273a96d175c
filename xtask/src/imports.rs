//! The page's module and its glue: short names for the JavaScript functions the module imports
//! ([`shorten`]), and no exports that nothing calls ([`drop_unused_classes`]).
//!
//! wasm-bindgen names each import after the function it binds and a hash of its signature
//! (`__wbg_addEventListener_847fd86b8c33ec43`), under a module named after the glue
//! (`./pakru-atlas-<hash>_bg.js`). Both names are written twice, in the module's import section
//! and as keys of the glue's imports object, and the sixteen hex digits of each hash do not
//! compress: about 230 of them cost some 4 KiB of the first visit in brotli. [`shorten`] gives
//! every import of that module a name of one or two letters and the module the name `w`, in the
//! module and in the glue alike, and refuses a glue that does not have each import exactly once.

use crate::util::Res;

/// The module name the glue's imports get.
pub const MODULE: &str = "w";

/// The `i`-th short name: `a`…`z`, `A`…`Z`, then two letters.
pub fn short_name(i: usize) -> String {
    const L: &[u8; 52] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    if i < 52 {
        (L[i] as char).to_string()
    } else {
        let j = i - 52;
        format!("{}{}", L[(j / 52) % 52] as char, L[j % 52] as char)
    }
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Res<u8> {
        let v = *self.b.get(self.at).ok_or("the module ends inside its import section")?;
        self.at += 1;
        Ok(v)
    }
    fn leb(&mut self) -> Res<u64> {
        let (mut v, mut shift) = (0u64, 0);
        loop {
            let b = self.byte()?;
            if shift < 64 {
                v |= u64::from(b & 0x7f) << shift;
            }
            if b & 0x80 == 0 {
                return Ok(v);
            }
            shift += 7;
            if shift > 70 {
                return Err("a number in the module is too long".into());
            }
        }
    }
    fn bytes(&mut self, n: usize) -> Res<&[u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.b.len()).ok_or("the module ends inside a name")?;
        let s = &self.b[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn name(&mut self) -> Res<String> {
        let n = self.leb()? as usize;
        String::from_utf8(self.bytes(n)?.to_vec()).map_err(|_| "an import name is not UTF-8".into())
    }
    /// Skips a value type (a reference type may carry a heap type).
    fn valtype(&mut self) -> Res {
        if matches!(self.byte()?, 0x63 | 0x64) {
            self.leb()?;
        }
        Ok(())
    }
    fn limits(&mut self) -> Res {
        let flags = self.byte()?;
        self.leb()?;
        if flags & 1 == 1 {
            self.leb()?;
        }
        Ok(())
    }
}

fn put_leb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn put_name(out: &mut Vec<u8>, s: &str) {
    put_leb(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// What [`rewrite`] made of a module.
struct Rewritten {
    wasm: Vec<u8>,
    /// The imports as they were: (module, name) in order.
    #[cfg_attr(not(test), allow(dead_code))]
    imports: Vec<(String, String)>,
    /// The exports kept, and those left out.
    #[cfg_attr(not(test), allow(dead_code))]
    exports: Vec<String>,
    dropped: Vec<String>,
}

/// `wasm` with each import of `module` renamed by `rename(index among them, name)` (None: kept)
/// and that module renamed to [`MODULE`] when any is, and without the exports named in
/// `drop_exports`.
fn rewrite(
    wasm: &[u8],
    module: &str,
    rename: &mut dyn FnMut(usize, &str) -> Option<String>,
    drop_exports: &[String],
) -> Res<Rewritten> {
    if wasm.len() < 8 || &wasm[..4] != b"\0asm" {
        return Err("not a WebAssembly module".into());
    }
    let mut r = Reader { b: wasm, at: 8 };
    let mut out = wasm[..8].to_vec();
    let (mut seen, mut exports, mut dropped) = (Vec::new(), Vec::new(), Vec::new());
    while r.at < wasm.len() {
        let id = r.byte()?;
        let size = r.leb()? as usize;
        let body = r.bytes(size)?;
        if id == 7 {
            let mut s = Reader { b: body, at: 0 };
            let mut section = Vec::new();
            let n = s.leb()?;
            let mut kept = 0u64;
            for _ in 0..n {
                let start = s.at;
                let name = s.name()?;
                s.byte()?;
                s.leb()?;
                if drop_exports.contains(&name) {
                    dropped.push(name);
                } else {
                    kept += 1;
                    section.extend_from_slice(&body[start..s.at]);
                    exports.push(name);
                }
            }
            if dropped.is_empty() {
                // Nothing left out: the section as it was.
                out.push(7);
                put_leb(&mut out, size as u64);
                out.extend_from_slice(body);
                continue;
            }
            let mut head = Vec::new();
            put_leb(&mut head, kept);
            head.extend_from_slice(&section);
            out.push(7);
            put_leb(&mut out, head.len() as u64);
            out.extend_from_slice(&head);
            continue;
        }
        if id != 2 {
            out.push(id);
            put_leb(&mut out, size as u64);
            out.extend_from_slice(body);
            continue;
        }
        let mut s = Reader { b: body, at: 0 };
        let mut section = Vec::new();
        let n = s.leb()?;
        put_leb(&mut section, n);
        let mut k = 0;
        for _ in 0..n {
            let m = s.name()?;
            let name = s.name()?;
            let desc_start = s.at;
            match s.byte()? {
                0x00 => drop(s.leb()?),
                0x01 => {
                    s.valtype()?;
                    s.limits()?;
                }
                0x02 => s.limits()?,
                0x03 => {
                    s.valtype()?;
                    s.byte()?;
                }
                0x04 => {
                    s.byte()?;
                    s.leb()?;
                }
                other => return Err(format!("import {m}:{name} is of an unknown kind ({other:#x})")),
            }
            let new = if m == module { rename(k, &name) } else { None };
            if m == module {
                k += 1;
            }
            match &new {
                Some(short) => {
                    put_name(&mut section, MODULE);
                    put_name(&mut section, short);
                }
                None => {
                    put_name(&mut section, &m);
                    put_name(&mut section, &name);
                }
            }
            section.extend_from_slice(&body[desc_start..s.at]);
            seen.push((m, name));
        }
        if s.at != body.len() {
            return Err("the import section has bytes after its imports".into());
        }
        out.push(2);
        put_leb(&mut out, section.len() as u64);
        out.extend_from_slice(&section);
    }
    Ok(Rewritten { wasm: out, imports: seen, exports, dropped })
}

/// Gives the imports of `module` (the glue's `./<stem>_bg.js`) short names in `wasm` and in
/// `glue`, wasm-bindgen's JavaScript, whose imports object names each as `name: function(`
/// and the module as `"<module>": import0`.
pub fn shorten(wasm: &[u8], glue: &str, module: &str) -> Res<(Vec<u8>, String)> {
    let mut names = Vec::new();
    let wasm = rewrite(
        wasm,
        module,
        &mut |i, name| {
            names.push((name.to_string(), short_name(i)));
            Some(short_name(i))
        },
        &[],
    )?
    .wasm;
    if names.is_empty() {
        return Err(format!("the module imports nothing from {module}"));
    }
    let mut glue = glue.to_string();
    for (old, new) in &names {
        let key = format!("\n        {old}: function(");
        if glue.matches(&key).count() != 1 {
            return Err(format!("wasm-bindgen's glue does not define import {old} once as `{}`", key.trim()));
        }
        glue = glue.replacen(&key, &format!("\n        {new}: function("), 1);
    }
    let key = format!("\"{module}\": import0");
    if glue.matches(&key).count() != 1 {
        return Err(format!("wasm-bindgen's glue does not name its imports' module as {key}"));
    }
    Ok((wasm, glue.replacen(&key, &format!("\"{MODULE}\": import0"), 1)))
}

/// `glue` with each import that only calls a function of `Math` (wasm-bindgen's
/// `function(arg0) { const ret = Math.atan(arg0); return ret; }`) being that function itself
/// (`Math.atan`): 5 of them (`atan`, `atan2`, `exp`, `log10`, `pow`; 9 before the projection's
/// functions became the wasm's own, `src/fmath.rs`), a few bytes of the glue each. The engine may also call such an import without a JavaScript frame: in Node 20 a loop
/// of 2,000,000 calls of `Math.sin` from wasm took 21–23 ms instead of 46–48 ms, with no minor
/// garbage collection instead of 62; in Chromium 156 the same loop took as long either way. A
/// wrapper of `Math` left in another form is an error, so that a change of wasm-bindgen's
/// output is seen.
pub fn direct_math(glue: &str) -> Res<String> {
    const IND: &str = "\n            ";
    // Per argument list: what comes before the function's name, and after it.
    let forms = ["arg0", "arg0, arg1"].map(|args| {
        (format!(": function({args}) {{{IND}const ret = Math."), format!("({args});{IND}return ret;\n        }}"))
    });
    let mut out = String::with_capacity(glue.len());
    let mut rest = glue;
    while let Some(at) = rest.find(": function(arg0") {
        let tail = &rest[at..];
        let direct = forms.iter().find_map(|(before, after)| {
            let call = tail.strip_prefix(before.as_str())?;
            let name_len = call.find(|c: char| !c.is_ascii_alphanumeric())?;
            let (name, rest_of_call) = call.split_at(name_len);
            let end = rest_of_call.strip_prefix(after.as_str())?;
            Some((name, tail.len() - end.len()))
        });
        match direct {
            Some((name, len)) => {
                out.push_str(&rest[..at]);
                out.push_str(": Math.");
                out.push_str(name);
                rest = &rest[at + len..];
            }
            None => {
                out.push_str(&rest[..at + 1]);
                rest = &rest[at + 1..];
            }
        }
    }
    out.push_str(rest);
    if out.contains("= Math.") {
        return Err("wasm-bindgen's glue calls a function of Math in a form `direct_math` does not know".into());
    }
    Ok(out)
}

/// Whether `text` has `ident` as a whole identifier.
fn uses(text: &str, ident: &str) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    text.match_indices(ident)
        .any(|(i, _)| !word(text[..i].chars().next_back()) && !word(text[i + ident.len()..].chars().next()))
}

/// The end (exclusive) of the text from `start` through the first `until` after it.
fn through(text: &str, start: usize, until: &str) -> Option<usize> {
    text[start..].find(until).map(|i| start + i + until.len())
}

/// `glue` without the classes it exports that nothing in it uses (with their finalization
/// registries and `Symbol.dispose` lines), and `wasm` without the exports only those classes
/// called; and the names of the exports dropped. The page's scripts import nothing from the glue
/// but its default export (`cargo xtask dist` checks the boot script), so an exported class is
/// for other JavaScript, which the atlas does not have.
pub fn drop_unused_classes(wasm: &[u8], glue: &str) -> Res<(Vec<u8>, String, Vec<String>)> {
    let mut glue = glue.to_string();
    let mut removed = String::new();
    let mut at = 0;
    while let Some(i) = glue[at..].find("export class ").map(|i| at + i) {
        at = i + 1;
        if i > 0 && !glue[..i].ends_with('\n') {
            continue;
        }
        let name: String = glue[i + 13..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        let Some(end) = through(&glue, i, "\n}\n") else { continue };
        let mut cut = vec![(i, end)];
        let dispose = format!("if (Symbol.dispose) {name}.prototype[Symbol.dispose] = {name}.prototype.free;\n");
        if let Some(d) = glue.find(&dispose) {
            cut.push((d, d + dispose.len()));
        }
        let registry = format!("const {name}Finalization = ");
        if let Some(r) = glue.find(&registry) {
            if let Some(e) = through(&glue, r, ");\n") {
                cut.push((r, e));
            }
        }
        cut.sort();
        let mut rest = String::new();
        let mut taken = String::new();
        let mut from = 0;
        for (a, b) in &cut {
            rest.push_str(&glue[from..*a]);
            taken.push_str(&glue[*a..*b]);
            from = *b;
        }
        rest.push_str(&glue[from..]);
        if name.is_empty() || uses(&rest, &name) || uses(&rest, &format!("{name}Finalization")) {
            continue;
        }
        removed.push_str(&taken);
        glue = rest;
        at = i;
    }
    // The module's exports the removed classes called and the rest of the glue does not.
    let mut drop: Vec<String> = Vec::new();
    for (i, _) in removed.match_indices("wasm.") {
        let name: String = removed[i + 5..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if !name.is_empty() && !uses(&glue, &format!("wasm.{name}")) && !drop.contains(&name) {
            drop.push(name);
        }
    }
    let Rewritten { wasm, dropped, .. } = rewrite(wasm, "", &mut |_, _| None, &drop)?;
    if let Some(missing) = drop.iter().find(|d| !dropped.contains(d)) {
        return Err(format!("the glue's class calls {missing}, which the module does not export"));
    }
    Ok((wasm, glue, dropped))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module importing two functions from `./g_bg.js`, one from `./split.js`, a memory
    /// with limits, a global and a table; and an exported function.
    fn module() -> Vec<u8> {
        let mut imports = Vec::new();
        put_leb(&mut imports, 6);
        let mut import = |m: &str, n: &str, desc: &[u8]| {
            put_name(&mut imports, m);
            put_name(&mut imports, n);
            imports.extend_from_slice(desc);
        };
        import("./g_bg.js", "__wbg_log_0123456789abcdef", &[0x00, 0x00]);
        import("./split.js", "__wasm_split_load", &[0x00, 0x00]);
        import("env", "memory", &[0x02, 0x01, 0x11, 0x80, 0x01]);
        import("./g_bg.js", "__wbindgen_init_externref_table", &[0x00, 0x01]);
        import("env", "g", &[0x03, 0x7f, 0x01]);
        import("env", "t", &[0x01, 0x70, 0x00, 0x05]);
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        // Types: () -> (), (i32) -> ().
        m.extend_from_slice(&[0x01, 0x08, 0x02, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7f, 0x00]);
        m.push(2);
        put_leb(&mut m, imports.len() as u64);
        m.extend_from_slice(&imports);
        m
    }

    const GLUE: &str = "function __wbg_get_imports() {\n    const import0 = {\n        __proto__: null,\n        \
        __wbg_log_0123456789abcdef: function(arg0) {\n            console.log(arg0);\n        },\n        \
        __wbindgen_init_externref_table: function() {\n        },\n    };\n    return {\n        __proto__: null,\n        \
        \"./g_bg.js\": import0,\n        \"./split.js\": import1,\n    };\n}\n";

    #[test]
    fn the_glues_imports_get_short_names_in_the_module_and_the_glue() {
        let (wasm, glue) = shorten(&module(), GLUE, "./g_bg.js").unwrap();
        let got = read(&wasm).imports;
        let want = [
            ("w", "a"),
            ("./split.js", "__wasm_split_load"),
            ("env", "memory"),
            ("w", "b"),
            ("env", "g"),
            ("env", "t"),
        ];
        assert_eq!(got, want.map(|(m, n)| (m.to_string(), n.to_string())));
        assert!(glue.contains("\n        a: function(arg0) {"));
        assert!(glue.contains("\n        b: function() {"));
        assert!(glue.contains("\"w\": import0,\n        \"./split.js\": import1"));
        assert!(!glue.contains("0123456789abcdef"));
        assert!(wasm.len() < module().len());
        // Everything but the import section is as it was.
        assert_eq!(wasm[..18], module()[..18]);
    }

    #[test]
    fn imports_that_only_call_math_become_maths_functions() {
        let glue = "    const import0 = {\n        \
            a: function(arg0) {\n            const ret = Math.sin(arg0);\n            return ret;\n        },\n        \
            b: function(arg0, arg1) {\n            const ret = Math.atan2(arg0, arg1);\n            return ret;\n        },\n        \
            c: function(arg0) {\n            const ret = arg0.width;\n            return ret;\n        },\n        \
            d: function(arg0) {\n            const ret = Math.log10(arg0);\n            return ret;\n        },\n    };\n";
        let out = direct_math(glue).unwrap();
        assert_eq!(
            out,
            "    const import0 = {\n        a: Math.sin,\n        b: Math.atan2,\n        \
             c: function(arg0) {\n            const ret = arg0.width;\n            return ret;\n        },\n        \
             d: Math.log10,\n    };\n"
        );
        // Another body (arguments swapped, another statement) is refused, not kept or misread.
        let swapped = glue.replace("Math.atan2(arg0, arg1)", "Math.atan2(arg1, arg0)");
        assert!(direct_math(&swapped).is_err());
        let more = glue.replace("const ret = Math.sin(arg0);", "const ret = Math.sin(arg0);\n            f();");
        assert!(direct_math(&more).is_err());
        assert_eq!(direct_math("no imports").unwrap(), "no imports");
    }

    #[test]
    fn a_glue_without_an_import_or_with_it_twice_is_refused() {
        let missing = GLUE.replace("__wbg_log_0123456789abcdef: function", "__wbg_log_x: function");
        assert!(shorten(&module(), &missing, "./g_bg.js").unwrap_err().contains("__wbg_log_0123456789abcdef"));
        let twice = GLUE
            .replace("    };\n    return", "        __wbg_log_0123456789abcdef: function() {},\n    };\n    return");
        assert!(shorten(&module(), &twice, "./g_bg.js").is_err());
        assert!(shorten(&module(), GLUE, "./other_bg.js").unwrap_err().contains("imports nothing"));
        assert!(shorten(b"\0asm", GLUE, "./g_bg.js").is_err());
        let mut cut = module();
        cut.truncate(cut.len() - 3);
        assert!(shorten(&cut, GLUE, "./g_bg.js").is_err());
    }

    /// A module exporting `run`, `thing_new`, `thing_free` and `memory`.
    fn exporting() -> Vec<u8> {
        let mut exports = Vec::new();
        put_leb(&mut exports, 4);
        for (name, kind, index) in [("run", 0u8, 0u64), ("thing_new", 0, 1), ("thing_free", 0, 2), ("memory", 2, 0)] {
            put_name(&mut exports, name);
            exports.push(kind);
            put_leb(&mut exports, index);
        }
        let mut m = module();
        m.push(7);
        put_leb(&mut m, exports.len() as u64);
        m.extend_from_slice(&exports);
        m
    }

    /// What a module imports and exports, as read back.
    fn read(wasm: &[u8]) -> Rewritten {
        rewrite(wasm, "", &mut |_, _| None, &[]).unwrap()
    }

    const CLASSES: &str = "import * as import1 from \"./split.js\"\n\nexport class Thing {\n    free() {\n        \
        const ptr = this.__destroy_into_raw();\n        wasm.thing_free(ptr, 0);\n    }\n}\n\
        if (Symbol.dispose) Thing.prototype[Symbol.dispose] = Thing.prototype.free;\n\n\
        export class Used {\n    go() {\n        wasm.run();\n    }\n}\n\
        export function run() {\n    wasm.run();\n    return new Used();\n}\n\
        const ThingFinalization = (typeof FinalizationRegistry === 'undefined')\n    \
        ? { register: () => {}, unregister: () => {} }\n    \
        : new FinalizationRegistry(ptr => wasm.thing_free(ptr, 1));\nlet wasm;\n";

    #[test]
    fn classes_nothing_uses_go_with_the_exports_only_they_call() {
        let (wasm, glue, dropped) = drop_unused_classes(&exporting(), CLASSES).unwrap();
        assert_eq!(dropped, ["thing_free"]);
        assert_eq!(read(&wasm).exports, ["run", "thing_new", "memory"]);
        assert!(!glue.contains("Thing"), "{glue}");
        // A class the glue itself uses stays, and so does every export the rest calls.
        assert!(glue.contains("export class Used {") && glue.contains("export function run()"));
        assert!(glue.starts_with("import * as import1") && glue.ends_with("let wasm;\n"));
        // Nothing to drop: the module is as it was.
        let (same, _, none) = drop_unused_classes(&exporting(), "export function f() {}\n").unwrap();
        assert!(none.is_empty());
        assert_eq!(same, exporting());
        // A class calling what the module does not export is refused.
        let wrong = CLASSES.replace("wasm.thing_free(ptr, 0)", "wasm.thing_gone(ptr, 0)");
        assert!(drop_unused_classes(&exporting(), &wrong).unwrap_err().contains("thing_gone"));
    }

    #[test]
    fn whole_identifiers_only() {
        assert!(uses("new Thing()", "Thing"));
        assert!(!uses("new Things()", "Thing"));
        assert!(!uses("const $Thing = 1", "Thing"));
        assert!(uses("Thing", "Thing"));
    }

    #[test]
    fn short_names_are_distinct_identifiers() {
        let names: Vec<String> = (0..600).map(short_name).collect();
        let set: std::collections::HashSet<&String> = names.iter().collect();
        assert_eq!(set.len(), 600);
        assert!(names.iter().all(|n| n.chars().all(|c| c.is_ascii_alphabetic()) && n.len() <= 2));
        assert_eq!(
            (short_name(0), short_name(51), short_name(52), short_name(53)),
            ("a".into(), "Z".into(), "aa".into(), "ab".into())
        );
    }
}
