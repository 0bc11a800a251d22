//! AliExpress top-level category names, so a fitted scenario says "Consumer Electronics"
//! where the export says `44`.
//!
//! Source: the first-level categories returned by AliExpress's affiliate API method
//! `aliexpress.affiliate.category.get` (`category_id`, `category_name`; a recorded response,
//! 31 entries). An order's `category_id` is often a deeper (leaf) id; those are not in this
//! table and stay ids, because guessing a leaf's parent would be inventing data.

/// (first-level `category_id`, its English name), sorted by id for a binary search.
const TOP_LEVEL: &[(u64, &str)] = &[
    (2, "Food"),
    (3, "Apparel & Accessories"),
    (5, "Electrical Equipment & Supplies"),
    (6, "Home Appliances"),
    (7, "Computer & Office"),
    (13, "Home Improvement"),
    (15, "Home & Garden"),
    (18, "Sports & Entertainment"),
    (21, "Office & School Supplies"),
    (26, "Toys & Hobbies"),
    (30, "Security & Protection"),
    (34, "Automobiles & Motorcycles"),
    (36, "Jewelry & Accessories"),
    (39, "Lights & Lighting"),
    (42, "Hardware"),
    (44, "Consumer Electronics"),
    (66, "Beauty & Health"),
    (320, "Weddings & Events"),
    (322, "Shoes"),
    (502, "Electronic Components & Supplies"),
    (509, "Phones & Telecommunications"),
    (1420, "Tools"),
    (1501, "Mother & Kids"),
    (1503, "Furniture"),
    (1511, "Watches"),
    (1524, "Luggage & Bags"),
    (200_001_075, "Special Category"),
    (200_001_996, "Industry & Business"),
    (200_003_498, "Travel and Coupon Services"),
    (200_003_655, "Hair & Accessories"),
    (200_004_360, "Books for Local Russian"),
];

/// The English name of an AliExpress top-level category id; `None` for any other id.
pub(crate) fn aliexpress_top_level(id: &str) -> Option<&'static str> {
    let n = id.trim().parse::<u64>().ok()?;
    let i = TOP_LEVEL.binary_search_by_key(&n, |&(k, _)| k).ok()?;
    Some(TOP_LEVEL[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_level_ids_are_named_and_others_stay_ids() {
        assert!(
            TOP_LEVEL.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted, no repeats"
        );
        assert_eq!(TOP_LEVEL.len(), 31);
        assert_eq!(aliexpress_top_level("44"), Some("Consumer Electronics"));
        assert_eq!(
            aliexpress_top_level("509"),
            Some("Phones & Telecommunications")
        );
        assert_eq!(
            aliexpress_top_level("200004360"),
            Some("Books for Local Russian")
        );
        assert_eq!(aliexpress_top_level("200001"), None);
        assert_eq!(aliexpress_top_level("gadgets"), None);
    }
}
