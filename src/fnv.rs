//! FNV-1a, 64 bits: a small hash that is the same in every build and every version of
//! zongjie (std's hasher is not), for what is derived from content and must not change from
//! run to run: the import checksum, font subset tags, the choice among equally fitting
//! sentences.

/// The standard offset basis.
const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0100_0000_01b3;

/// A running hash.
#[derive(Debug, Clone, Copy)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(OFFSET)
    }
}

impl Fnv1a {
    pub fn write(&mut self, bytes: impl IntoIterator<Item = u8>) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(PRIME);
        }
    }

    pub fn finish(self) -> u64 {
        self.0
    }
}

/// The hash of `bytes` from the standard offset basis.
pub fn hash(bytes: impl IntoIterator<Item = u8>) -> u64 {
    let mut h = Fnv1a::default();
    h.write(bytes);
    h.finish()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_published_test_vectors() {
        assert_eq!(super::hash(*b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(super::hash(*b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(super::hash(*b"foobar"), 0x8594_4171_f739_67e8);
    }
}
