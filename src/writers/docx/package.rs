//! The OPC package: the parts, their content types and relationships, the document
//! properties, in a zip with fixed timestamps and no folder entries, so that the same input
//! gives the same bytes and Word finds nothing to repair.

use super::props::{FOOTER_EVEN, FOOTER_ODD};
use super::styles;
use super::xml::Xml;
use super::{DocxError, FontNames};
use crate::document::Document;
use std::io::Write;

const RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const OFFICE_RELS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const WML: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";

/// Assembles the package around `document` (the bytes of `word/document.xml`).
pub fn assemble(doc: &Document, names: &FontNames, document: Vec<u8>) -> Result<Vec<u8>, DocxError> {
    let fixed = |part: &'static str, x: Xml| x.finish().map_err(|ch| DocxError::ForbiddenChar { part, ch });
    let parts: Vec<(&str, Vec<u8>)> = vec![
        ("[Content_Types].xml", fixed("内容类型", content_types())?),
        ("_rels/.rels", fixed("关系", package_rels())?),
        ("docProps/app.xml", fixed("文档属性", app_properties())?),
        (
            "docProps/core.xml",
            fixed("文档属性（标题、作者）", core_properties(doc))?,
        ),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", fixed("关系", document_rels())?),
        ("word/styles.xml", fixed("样式（字体名）", styles::styles(names))?),
        ("word/settings.xml", fixed("设置", styles::settings())?),
        (
            "word/fontTable.xml",
            fixed("字体表（字体名）", styles::font_table(names))?,
        ),
        ("word/footer1.xml", fixed("页脚", styles::footer(true))?),
        ("word/footer2.xml", fixed("页脚", styles::footer(false))?),
    ];
    zip(&parts).map_err(|e| DocxError::Zip(e.to_string()))
}

fn zip(parts: &[(&str, Vec<u8>)]) -> zip::result::ZipResult<Vec<u8>> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, data) in parts {
        out.start_file(*name, options)?;
        out.write_all(data)?;
    }
    Ok(out.finish()?.into_inner())
}

fn content_types() -> Xml {
    let mut x = Xml::new();
    let ns = [(
        "xmlns",
        "http://schemas.openxmlformats.org/package/2006/content-types",
    )];
    x.el("Types", &ns, |x| {
        x.empty(
            "Default",
            &[
                ("Extension", "rels"),
                (
                    "ContentType",
                    "application/vnd.openxmlformats-package.relationships+xml",
                ),
            ],
        );
        x.empty(
            "Default",
            &[("Extension", "xml"), ("ContentType", "application/xml")],
        );
        let overrides = [
            (
                "/docProps/app.xml",
                "application/vnd.openxmlformats-officedocument.extended-properties+xml".to_owned(),
            ),
            (
                "/docProps/core.xml",
                "application/vnd.openxmlformats-package.core-properties+xml".to_owned(),
            ),
            ("/word/document.xml", format!("{WML}.document.main+xml")),
            ("/word/styles.xml", format!("{WML}.styles+xml")),
            ("/word/settings.xml", format!("{WML}.settings+xml")),
            ("/word/fontTable.xml", format!("{WML}.fontTable+xml")),
            ("/word/footer1.xml", format!("{WML}.footer+xml")),
            ("/word/footer2.xml", format!("{WML}.footer+xml")),
        ];
        for (part, kind) in &overrides {
            x.empty("Override", &[("PartName", part), ("ContentType", kind)]);
        }
    });
    x
}

fn relationships(rels: &[(&str, &str, &str)]) -> Xml {
    let mut x = Xml::new();
    x.el("Relationships", &[("xmlns", RELS)], |x| {
        for (id, kind, target) in rels {
            x.empty("Relationship", &[("Id", id), ("Type", kind), ("Target", target)]);
        }
    });
    x
}

fn package_rels() -> Xml {
    relationships(&[
        (
            "rId1",
            &format!("{OFFICE_RELS}/officeDocument"),
            "word/document.xml",
        ),
        (
            "rId2",
            &format!("{RELS}/metadata/core-properties"),
            "docProps/core.xml",
        ),
        (
            "rId3",
            &format!("{OFFICE_RELS}/extended-properties"),
            "docProps/app.xml",
        ),
    ])
}

fn document_rels() -> Xml {
    relationships(&[
        ("rIdStyles", &format!("{OFFICE_RELS}/styles"), "styles.xml"),
        ("rIdSettings", &format!("{OFFICE_RELS}/settings"), "settings.xml"),
        (
            "rIdFontTable",
            &format!("{OFFICE_RELS}/fontTable"),
            "fontTable.xml",
        ),
        (FOOTER_ODD, &format!("{OFFICE_RELS}/footer"), "footer1.xml"),
        (FOOTER_EVEN, &format!("{OFFICE_RELS}/footer"), "footer2.xml"),
    ])
}

fn app_properties() -> Xml {
    let mut x = Xml::new();
    let ns = [
        (
            "xmlns",
            "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
        ),
        (
            "xmlns:vt",
            "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
        ),
    ];
    x.el("Properties", &ns, |x| x.text("Application", &[], "zongjie"));
    x
}

/// Title and author from the document; the dates from the 成文日期 of the first 篇 (never
/// the clock, so that rebuilds are identical), or 1 January 1980.
fn core_properties(doc: &Document) -> Xml {
    let date = iso_date(doc);
    let mut x = Xml::new();
    let ns = [
        (
            "xmlns:cp",
            "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
        ),
        ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
        ("xmlns:dcterms", "http://purl.org/dc/terms/"),
        ("xmlns:dcmitype", "http://purl.org/dc/dcmitype/"),
        ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
    ];
    x.el("cp:coreProperties", &ns, |x| {
        x.text("dc:title", &[], &doc.title);
        x.text("dc:creator", &[], &doc.author);
        x.text("cp:lastModifiedBy", &[], &doc.author);
        x.text("cp:revision", &[], "1");
        x.text("dcterms:created", &[("xsi:type", "dcterms:W3CDTF")], &date);
        x.text("dcterms:modified", &[("xsi:type", "dcterms:W3CDTF")], &date);
    });
    x
}

fn iso_date(doc: &Document) -> String {
    let date = doc
        .parts
        .first()
        .and_then(|p| p.signature.as_ref())
        .and_then(|s| s.date.as_deref())
        .and_then(|d| {
            let nums: Vec<u32> = d
                .split(['年', '月', '日'])
                .filter_map(|x| x.parse().ok())
                .collect();
            (nums.len() == 3).then(|| format!("{:04}-{:02}-{:02}T00:00:00Z", nums[0], nums[1], nums[2]))
        });
    date.unwrap_or_else(|| "1980-01-01T00:00:00Z".into())
}
