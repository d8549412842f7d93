//! Enums whose values users write as words (类别, 承办方式, 满意度, font roles, formats):
//! one list gives `ALL`, `name` and `parse`, so that the words are written once.

/// `named_enum! { pub enum Kind { 建议, 议案, 提案 } }`; a variant may give its word
/// (`Title = "小标宋"`) when the identifier is not the word itself.
macro_rules! named_enum {
    (@word $variant:ident) => { stringify!($variant) };
    (@word $variant:ident $word:literal) => { $word };
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident $(= $word:literal)?),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: [$name; { let words: &[&str] = &[$(stringify!($variant)),+]; words.len() }] =
                [$($name::$variant),+];

            /// The word users write.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $crate::named::named_enum!(@word $variant $($word)?)),+
                }
            }

            /// The value a word names (the first, where two share a word).
            pub fn parse(word: &str) -> Option<$name> {
                $name::ALL.into_iter().find(|v| v.name() == word)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }
    };
}
pub(crate) use named_enum;

#[cfg(test)]
mod tests {
    named_enum! {
        /// A test enum.
        pub enum Colour {
            红,
            Green = "绿",
            Lime = "绿",
        }
    }

    #[test]
    fn words_all_and_parse() {
        assert_eq!(Colour::ALL, [Colour::红, Colour::Green, Colour::Lime]);
        assert_eq!(Colour::Green.name(), "绿");
        assert_eq!(Colour::parse("绿"), Some(Colour::Green));
        assert_eq!(Colour::parse("蓝"), None);
        assert_eq!(serde_json::to_string(&Colour::红).unwrap(), "\"红\"");
    }
}
