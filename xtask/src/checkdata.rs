//! `cargo xtask check-data [dir]`: the app's own validation, on the files in data/ (or `dir`).

use crate::util::{root, Res};
use std::path::PathBuf;

/// Loads and validates; Ok(summary line) or Err(one line per problem).
pub fn check(dir: &std::path::Path) -> Result<String, Vec<String>> {
    let mut files = Vec::new();
    let mut read_errors = Vec::new();
    for name in pakru_data::FILES {
        match std::fs::read_to_string(dir.join(name)) {
            Ok(text) => files.push((name, text)),
            // Missing files are reported by `load` itself.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => read_errors.push(format!("{name}: {e}")),
        }
    }
    if !read_errors.is_empty() {
        return Err(read_errors);
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    match pakru_data::load(&refs) {
        Ok(a) => {
            // The translations of the content, against the data they translate.
            let mut problems = Vec::new();
            for lang in pakru_data::i18n::LANGS {
                let path = dir.join("i18n").join(format!("{lang}.json"));
                let name = format!("i18n/{lang}.json");
                match std::fs::read_to_string(&path)
                    .map_err(|e| e.to_string())
                    .and_then(|t| pakru_data::i18n::parse(&t))
                {
                    Ok(t) => problems.extend(
                        pakru_data::i18n::check(&a, lang, &t)
                            .into_iter()
                            .map(|(rec, field, msg)| format!("{name}: record \"{rec}\": field `{field}`: {msg}")),
                    ),
                    Err(e) => problems.push(format!("{name}: {e}")),
                }
            }
            if !problems.is_empty() {
                return Err(problems);
            }
            Ok(format!(
                "data OK: {} events, {} places, {} sources, {} eras, {} series, {} student rows, {} story chapters ({} steps), translated into {}",
                a.events.len(),
                a.places.len(),
                a.sources.len(),
                a.eras.len(),
                a.series.len(),
                a.students.len(),
                a.story.len(),
                a.story.iter().map(|c| c.steps.len()).sum::<usize>(),
                pakru_data::i18n::LANGS.join(", ")
            ))
        }
        Err(errors) => Err(errors.iter().map(|e| e.to_string()).collect()),
    }
}

pub fn cmd_check_data(args: &[String]) -> Res {
    let dir = args.first().map(PathBuf::from).unwrap_or_else(|| root().join("data"));
    match check(&dir) {
        Ok(line) => {
            println!("{line}");
            Ok(())
        }
        Err(lines) => {
            for l in &lines {
                println!("{l}");
            }
            Err(format!("{} data error(s) in {}", lines.len(), dir.display()))
        }
    }
}

/// `cargo xtask data-files [DIR]`: writes the dataset into `DIR/index.html` as its data block
/// (see [`with_data_block`]), the story's chapters in their binary form to
/// `DIR/story.bin` and each language's file (`lang-ur-<hash>.bin`, see
/// `pakru_data::catalogue`) (default: Trunk's staging folder, `TRUNK_STAGING_DIR`, as a post-build hook
/// of Trunk.toml runs it). The data are those the build embeds (`PAKRU_DATA`, else data/). With
/// invalid data the block holds the problems, which the app shows, and no story is written.
pub fn cmd_story_file(args: &[String]) -> Res {
    let out = match args.first() {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(
            std::env::var("TRUNK_STAGING_DIR").map_err(|_| "data-files: give a folder, or run as a Trunk hook")?,
        ),
    };
    let dir = match std::env::var("PAKRU_DATA") {
        Ok(d) if !d.is_empty() => {
            let p = PathBuf::from(d);
            if p.is_absolute() {
                p
            } else {
                root().join(p)
            }
        }
        _ => root().join("data"),
    };
    let files = pakru_data::read_dir_files(&dir);
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let loaded = pakru_data::load(&refs);
    // The page's data block: the bytes build.rs encodes the same way (the atlas or its
    // problems), which the app checks by their hash.
    let index = out.join("index.html");
    let page = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let bytes = pakru_data::codec::encode(&loaded);
    std::fs::write(&index, with_data_block(&page, &bytes)?).map_err(|e| format!("{}: {e}", index.display()))?;
    println!("data block: {} bytes -> {}", bytes.len(), index.display());
    match loaded {
        Ok(atlas) => {
            let bytes = pakru_data::codec::encode_story(&atlas.story);
            std::fs::write(out.join(STORY_FILE), &bytes)
                .map_err(|e| format!("{}: {e}", out.join(STORY_FILE).display()))?;
            println!(
                "story: {} chapters, {} bytes -> {}",
                atlas.story.len(),
                bytes.len(),
                out.join(STORY_FILE).display()
            );
        }
        Err(errors) => println!("story: not written ({} problem(s) in {})", errors.len(), dir.display()),
    }
    // The languages' files, under the names build.rs gave the app (the same function names
    // them from their bytes). Without them the app offers English only and says so.
    match pakru_data::catalogue::lang_files(&dir) {
        Ok(files) => {
            for (lang, name, bytes) in files {
                std::fs::write(out.join(&name), &bytes).map_err(|e| format!("{}: {e}", out.join(&name).display()))?;
                println!("language {lang}: {} bytes -> {}", bytes.len(), out.join(&name).display());
            }
        }
        Err(e) => println!("languages: not written ({e})"),
    }
    Ok(())
}

/// `page` with its data block (`pakru_atlas::data::DATA_BLOCK`) holding `bytes`: the one it
/// had replaced, or a new one put before `</body>`.
pub fn with_data_block(page: &str, bytes: &[u8]) -> Result<String, String> {
    let block = crate::offline::data_block(pakru_atlas::data::DATA_BLOCK, &pakru_data::bytes::to_text(bytes));
    let open = &block[..block.find('>').unwrap_or(0) + 1];
    if let Some(start) = page.find(open) {
        let end = page[start..].find("</script>").ok_or("index.html: the data block is not closed")? + start + 9;
        return Ok(format!("{}{block}{}", &page[..start], &page[end..]));
    }
    let at = page.rfind("</body>").ok_or("index.html has no </body> to put the data block before")?;
    Ok(format!("{}{block}{}", &page[..at], &page[at..]))
}

/// Whether `name` is a language file in dist/ (`lang-ru-<hash>.bin`), and its language.
pub fn lang_file_lang(name: &str) -> Option<&str> {
    let rest = name.strip_prefix("lang-")?.strip_suffix(".bin")?;
    let (lang, hash) = rest.split_once('-')?;
    (hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then_some(lang)
}

/// The story file's name in dist/ (the app fetches it by this name).
pub const STORY_FILE: &str = "story.bin";

#[cfg(test)]
mod tests {
    #[test]
    fn committed_data_is_valid() {
        let r = super::check(&crate::util::root().join("data"));
        assert!(r.is_ok(), "{:#?}", r.err());
    }

    #[test]
    fn the_data_block_is_put_in_once_and_reads_back_as_the_embedded_data() {
        let files = pakru_data::read_dir_files(&crate::util::root().join("data"));
        let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
        let bytes = pakru_data::codec::encode(&pakru_data::load(&refs));
        let page = "<html><body><main>x</main></body></html>";
        let once = super::with_data_block(page, &bytes).unwrap();
        let twice = super::with_data_block(&once, &bytes).unwrap();
        assert_eq!(once, twice, "a second build replaces the block");
        assert_eq!(once.matches("id=\"atlas-data\"").count(), 1);
        assert!(
            once.starts_with("<html><body><main>x</main><script type=\"application/octet-stream\" id=\"atlas-data\">")
        );
        assert!(once.ends_with("</script></body></html>"));
        let text = once.split_once("id=\"atlas-data\">").unwrap().1.split_once("</script>").unwrap().0;
        assert_eq!(
            pakru_atlas::data::load_text(Some(text)),
            pakru_atlas::data::load_embedded(),
            "the app reads what the build embeds"
        );
        assert!(text.contains("Intergovernmental Commission"), "the texts stay text");
        assert!(super::with_data_block("<html></html>", &bytes).is_err());
    }

    #[test]
    fn reports_missing_files() {
        let dir = std::env::temp_dir().join(format!("xtask-empty-data-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let errors = super::check(&dir).unwrap_err();
        // Every file but the story, which is optional.
        for name in pakru_data::FILES.iter().filter(|n| **n != "story.json") {
            assert!(errors.iter().any(|e| e.contains(name) && e.contains("missing")), "{name}: {errors:#?}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
