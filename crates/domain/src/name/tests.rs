use super::*;

fn parsed(raw: &str) -> String {
    TenantName::parse(raw).unwrap().as_str().to_owned()
}

#[test]
fn trims_surrounding_white_space_first() {
    assert_eq!(parsed("  HSBC \n"), "HSBC");
    // Unicode white space too: no-break and ideographic spaces.
    assert_eq!(parsed("\u{a0}HSBC\u{3000}"), "HSBC");
}

#[test]
fn accepts_unicode_and_the_longest_name() {
    assert!(TenantName::parse("汇丰银行").is_ok());
    let longest = "é".repeat(TENANT_NAME_MAX_CHARS);
    assert_eq!(parsed(&longest), longest);
}

#[test]
fn stores_the_nfc_form_of_decomposed_input() {
    let nfd = "Cafe\u{301}";
    assert_eq!(parsed(nfd), "Caf\u{e9}");
    assert_eq!(parsed(nfd), parsed("Caf\u{e9}"));
}

#[test]
fn length_is_counted_after_nfc() {
    // 200 "e" + combining acute: 400 scalar values in, 200 characters stored.
    let decomposed = "e\u{301}".repeat(TENANT_NAME_MAX_CHARS);
    assert_eq!(parsed(&decomposed).chars().count(), TENANT_NAME_MAX_CHARS);
}

#[test]
fn keeps_compatibility_characters_and_case_as_given() {
    // NFC, not NFKC: the ligature is stored as typed; only uniqueness folds it.
    assert_eq!(parsed("\u{fb01}nance"), "\u{fb01}nance");
    assert_eq!(parsed("Straße"), "Straße");
    assert_eq!(parsed("ΟΔΟΣ"), "ΟΔΟΣ");
}

#[test]
fn rejects_blank_too_long_and_control_characters() {
    for bad in [
        String::new(),
        "   ".to_owned(),
        "\t\n".to_owned(),
        "\u{3000}".to_owned(),
        "x".repeat(TENANT_NAME_MAX_CHARS + 1),
        "HSBC\u{0}Bank".to_owned(),
        "HSBC\u{7}".to_owned(),
        "a\u{85}b".to_owned(),
        "line\nbreak".to_owned(),
    ] {
        let err = TenantName::parse(&bad).unwrap_err();
        assert_eq!(err.field, "name", "{bad:?}");
    }
}

#[test]
fn rejects_every_spoofing_character() {
    for (what, bad) in [
        ("zero-width space (Cf)", "HSBC Hong Kong\u{200b}"),
        ("zero-width joiner (Cf)", "HSBC\u{200d}Hong Kong"),
        ("right-to-left override (Cf)", "HSBC\u{202e}gnoK gnoH"),
        ("left-to-right isolate (Cf)", "HSBC\u{2066}x"),
        ("byte-order mark (Cf)", "\u{feff}HSBC"),
        ("soft hyphen (Cf)", "HS\u{ad}BC"),
        ("tag character (Cf)", "HSBC\u{e0041}"),
        ("line separator (Zl)", "HSBC\u{2028}Bank"),
        ("paragraph separator (Zp)", "HSBC\u{2029}Bank"),
        ("private use (Co)", "HSBC\u{e000}"),
        ("supplementary private use (Co)", "HSBC\u{f0000}"),
        ("unassigned (Cn)", "HSBC\u{378}"),
        ("noncharacter (Cn)", "HSBC\u{fffe}"),
        ("delete (Cc)", "HSBC\u{7f}"),
    ] {
        let err = TenantName::parse(bad).unwrap_err();
        assert_eq!(err.field, "name", "{what}");
        assert!(err.message.contains("U+"), "{what}: {}", err.message);
    }
}

#[test]
fn length_is_counted_after_trimming() {
    let padded = format!("  {}  ", "x".repeat(TENANT_NAME_MAX_CHARS));
    assert!(TenantName::parse(&padded).is_ok());
}

#[test]
fn the_ascii_path_answers_as_the_general_one() {
    let mut names = vec![
        String::new(),
        "HSBC".to_owned(),
        "a".repeat(200),
        "a".repeat(201),
    ];
    for byte in 0u8..128 {
        let c = char::from(byte);
        names.extend([
            format!("{c}"),
            format!("a{c}b"),
            format!("HSBC{c}"),
            format!("{c}x"),
        ]);
    }
    for name in names {
        let trimmed = name.trim();
        assert!(trimmed.is_ascii());
        assert_eq!(ascii(trimmed), checked(trimmed.nfc().collect()), "{name:?}");
    }
}
