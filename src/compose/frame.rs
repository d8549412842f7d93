//! The frame of a 总结: its default opening and closing paragraphs, which vary with the
//! genre and the data (SPEC §2.5), so that no two 篇 of a 汇编 open alike and nothing is
//! claimed that the figures do not show.

use super::words::{collective, proposers};
use crate::figures::Figures;
use crate::model::{Genre, Kind, Report};

/// Which of several equally fitting sentences: a 篇's place in its 汇编, or a hash of the
/// unit for a report on its own, so the choice is stable from build to build.
pub fn variant(report: &Report, position: Option<usize>, n: usize) -> usize {
    let key = position.unwrap_or_else(|| crate::fnv::hash(report.unit.bytes()) as usize);
    key % n.max(1)
}

/// The template's default opening; it ends with `现将……总结如下：`.
pub fn opening(report: &Report, figs: &Figures, position: Option<usize>) -> String {
    let (year, unit) = (report.year, &report.unit);
    let what = collective(figs);
    let who = proposers(figs);
    let solved = figs.results.values().next().is_some_and(|s| s.count > 0);
    let met_all = figs.lead > 0 && figs.consulted == figs.lead;
    let mut candidates: Vec<String> = Vec::new();
    match report.template.genre() {
        Genre::Handling => {
            candidates.push(format!(
                "{year}年，{unit}坚持把办理{what}作为密切联系群众、改进工作作风、推动事业发展的重要抓手，认真研究、逐件落实。"
            ));
            candidates.push(format!(
                "办理{what}是{unit}自觉接受监督、改进工作的重要途径。{year}年，我们把办理工作摆上重要议事日程，主要负责同志亲自抓、分管负责同志具体抓，逐件研究、逐件落实。"
            ));
            if solved {
                candidates.push(format!(
                    "{year}年，{unit}把办理{what}同推进本单位重点工作结合起来，在办理中回应{who}关切，推动一批实际问题得到解决。"
                ));
            }
            if met_all {
                candidates.push(format!(
                    "{year}年，{unit}在办理{what}中坚持与{who}当面沟通协商，以沟通促办理、以办理促落实。"
                ));
            }
            let mut s = candidates.swap_remove(variant(report, position, candidates.len()));
            s.push_str("现将有关情况总结如下：");
            s
        }
        Genre::Supervision => {
            let kinds = if figs.by_kind.contains_key(&Kind::议案) {
                "议案建议"
            } else {
                "建议"
            };
            candidates.push(format!(
                "{year}年，{unit}把督促办理代表{kinds}作为支持和保障代表依法履职的重要工作，在交办、督办、评价各环节持续用力。"
            ));
            candidates.push(format!(
                "提出{kinds}是代表依法履职的重要形式。{year}年，{unit}坚持交办与督办并重，推动承办单位把办理代表{kinds}同推进中心工作结合起来。"
            ));
            let mut s = candidates.swap_remove(variant(report, position, candidates.len()));
            s.push_str(&format!("现将全年代表{kinds}办理工作情况总结如下："));
            s
        }
        Genre::NpcWork => {
            candidates.push(format!(
                "{year}年，{unit}在党委的领导下，依法履行职责，紧扣中心工作开展监督，支持和保障代表依法履职，不断加强自身建设。"
            ));
            candidates.push(format!(
                "{year}年，{unit}坚持党的领导、人民当家作主、依法治国有机统一，围绕本地发展大局依法履职，各项工作有序推进。"
            ));
            let mut s = candidates.swap_remove(variant(report, position, candidates.len()));
            s.push_str(&format!("现将{year}年工作情况和{}年工作计划报告如下：", year + 1));
            s
        }
    }
}

/// The template's default closing paragraph.
pub fn closing(report: &Report, figs: &Figures) -> String {
    let what = collective(figs);
    let who = proposers(figs);
    match report.template.genre() {
        Genre::Handling => format!(
            "我们将以更加务实的作风做好{what}办理工作，认真听取{who}的意见和建议，把办理成果转化为推动工作的实际成效。"
        ),
        Genre::Supervision => format!(
            "常委会将继续支持和保障代表依法履职，更好地发挥{what}在推动工作、改善民生中的作用，以办理实效回应人民群众的期盼。"
        ),
        Genre::NpcWork => "新的一年，我们将以更加务实的作风依法履职、主动作为，为推动本地经济社会高质量发展贡献人大力量。".into(),
    }
}
