//! Deterministic synthetic test data: valid identifiers made from a seeded
//! generator, near misses that a detector must reject, and realistic log
//! lines (JSON logs, key=value, access logs, stack traces) with every planted
//! identifier labelled by byte span.
//!
//! Every value is synthetic. Email addresses use the reserved `example.*`
//! domains and IP addresses come from the documentation ranges. An SSN or a
//! phone number that passes validation could still belong to someone by
//! chance, so such values are created at run time and never committed as
//! lists.

use serde::Serialize;

use crate::finding::Kind;
use crate::validate;

/// SplitMix64: a small, fast, well-distributed generator. Fixed seeds give
/// the same corpus on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Returns a value in `low..=high`.
    pub fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low + 1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() as u64 - 1) as usize]
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.range(1, 100) <= percent
    }
}

/// The published example identifiers, used as fixed test vectors.
pub mod vectors {
    /// The NPI that CMS uses to explain the check digit.
    pub const CMS_EXAMPLE_NPI: &str = "1234567893";
    /// The same body with a wrong check digit.
    pub const CMS_EXAMPLE_NPI_BAD_CHECK: &str = "1234567890";
    /// A DEA number whose check digit works out by the published formula.
    pub const EXAMPLE_DEA: &str = "F91234563";
    /// The MBI that CMS prints in its "Understanding the MBI" format guide.
    pub const CMS_EXAMPLE_MBI: &str = "1EG4-TE5-MK73";
}

const MBI_LETTERS: &[u8] = b"ACDEFGHJKMNPQRTUVWXY";
const EXCLUDED_MBI_LETTERS: &[u8] = b"SLOIBZ";

/// Makes valid synthetic identifiers and near misses.
pub struct Identifiers {
    pub rng: Rng,
}

impl Identifiers {
    pub fn new(seed: u64) -> Identifiers {
        Identifiers { rng: Rng::new(seed) }
    }

    fn digits(&mut self, count: usize) -> String {
        (0..count).map(|_| char::from(b'0' + self.rng.range(0, 9) as u8)).collect()
    }

    /// Returns a valid SSN with dashes.
    pub fn ssn(&mut self) -> String {
        loop {
            let area = self.rng.range(1, 899);
            let group = self.rng.range(1, 99);
            let serial = self.rng.range(1, 9999);
            let text = format!("{area:03}-{group:02}-{serial:04}");
            if validate::ssn(text.as_bytes()) {
                return text;
            }
        }
    }

    /// Returns an SSN-shaped value in a range SSA never issues, or with mixed
    /// separators.
    pub fn invalid_ssn(&mut self) -> String {
        let group = self.rng.range(1, 99);
        let serial = self.rng.range(1, 9999);
        match self.rng.range(0, 5) {
            0 => format!("000-{group:02}-{serial:04}"),
            1 => format!("666-{group:02}-{serial:04}"),
            2 => format!("{}-{group:02}-{serial:04}", self.rng.range(900, 999)),
            3 => format!("{:03}-00-{serial:04}", self.rng.range(1, 665)),
            4 => format!("{:03}-{group:02}-0000", self.rng.range(1, 665)),
            _ => format!("{:03}-{group:02}.{serial:04}", self.rng.range(1, 665)),
        }
    }

    fn npi_with_check(&mut self, valid: bool) -> String {
        let mut body = vec![self.rng.range(1, 2) as u8];
        body.extend((0..8).map(|_| self.rng.range(0, 9) as u8));
        let check = (0..10u8)
            .find(|&d| {
                let mut digits = body.clone();
                digits.push(d);
                let text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
                validate::npi(text.as_bytes())
            })
            .unwrap_or(0);
        let check = if valid { check } else { (check + self.rng.range(1, 9) as u8) % 10 };
        body.push(check);
        body.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// Returns a valid NPI.
    pub fn npi(&mut self) -> String {
        loop {
            let npi = self.npi_with_check(true);
            if validate::npi(npi.as_bytes()) {
                return npi;
            }
        }
    }

    /// Returns an NPI with a wrong check digit.
    pub fn bad_npi(&mut self) -> String {
        self.npi_with_check(false)
    }

    fn dea_with_check(&mut self, valid: bool) -> String {
        let first = *self.rng.pick(b"ABFGMPRX");
        let second = if self.rng.chance(10) { b'9' } else { b'A' + self.rng.range(0, 25) as u8 };
        let d: Vec<u32> = (0..6).map(|_| self.rng.range(0, 9) as u32).collect();
        let sum = d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5]);
        let mut check = sum % 10;
        if !valid {
            check = (check + self.rng.range(1, 9) as u32) % 10;
        }
        let digits: String = d.iter().chain(std::iter::once(&check)).map(|d| char::from(b'0' + *d as u8)).collect();
        format!("{}{}{digits}", char::from(first), char::from(second))
    }

    pub fn dea(&mut self) -> String {
        self.dea_with_check(true)
    }

    pub fn bad_dea(&mut self) -> String {
        self.dea_with_check(false)
    }

    fn mbi_letter(&mut self) -> char {
        char::from(*self.rng.pick(MBI_LETTERS))
    }

    fn mbi_alnum(&mut self) -> char {
        if self.rng.chance(50) {
            self.mbi_letter()
        } else {
            char::from(b'0' + self.rng.range(0, 9) as u8)
        }
    }

    /// Returns a valid MBI, with the print dashes about a third of the time.
    pub fn mbi(&mut self) -> String {
        let mut text = String::new();
        text.push(char::from(b'0' + self.rng.range(1, 9) as u8));
        text.push(self.mbi_letter());
        text.push(self.mbi_alnum());
        text.push_str(&self.digits(1));
        let dashed = self.rng.chance(33);
        if dashed {
            text.push('-');
        }
        text.push(self.mbi_letter());
        text.push(self.mbi_alnum());
        text.push_str(&self.digits(1));
        if dashed {
            text.push('-');
        }
        text.push(self.mbi_letter());
        text.push(self.mbi_letter());
        text.push_str(&self.digits(2));
        text
    }

    /// Returns an MBI-shaped value with an excluded letter in a letter position, or a
    /// zero in the first position.
    pub fn bad_mbi(&mut self) -> String {
        let mut bytes = self.mbi().replace('-', "").into_bytes();
        if self.rng.chance(20) {
            bytes[0] = b'0';
        } else {
            let position = *self.rng.pick(&[1usize, 4, 7, 8]);
            bytes[position] = *self.rng.pick(EXCLUDED_MBI_LETTERS);
        }
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// Returns a valid SSA-form HICN: SSN digits plus a Beneficiary Identification
    /// Code.
    pub fn hicn(&mut self) -> String {
        let digits = self.ssn().replace('-', "");
        let bic = *self.rng.pick(&["A", "B", "C1", "D", "T", "B2"]);
        format!("{digits}{bic}")
    }

    /// Returns a valid NANP phone number in one of the common layouts.
    pub fn phone(&mut self) -> String {
        let (area, exchange, line) = loop {
            let area = format!("{}{}{}", self.rng.range(2, 9), self.rng.range(0, 8), self.rng.range(0, 9));
            let exchange = format!("{}{}", self.rng.range(2, 9), self.digits(2));
            let line = self.digits(4);
            let text = format!("{area}{exchange}{line}");
            if validate::phone(text.as_bytes()) {
                break (area, exchange, line);
            }
        };
        match self.rng.range(0, 3) {
            0 => format!("({area}) {exchange}-{line}"),
            1 => format!("{area}-{exchange}-{line}"),
            2 => format!("+1 {area}.{exchange}.{line}"),
            _ => format!("{area}.{exchange}.{line}"),
        }
    }

    /// Returns a number in the fictional 555-01xx block.
    pub fn fictional_phone(&mut self) -> String {
        format!("{}-555-01{}", self.rng.range(201, 989), self.digits(2))
    }

    pub fn email(&mut self) -> String {
        let first = *self.rng.pick(&["alex", "sam", "jordan", "casey", "riley", "morgan", "taylor", "jamie"]);
        let last = *self.rng.pick(&["rivera", "chen", "okafor", "novak", "silva", "haddad", "kim", "larsen"]);
        let domain = *self.rng.pick(&["example.com", "example.org", "example.net", "mail.example.com"]);
        format!("{first}.{last}{}@{domain}", self.rng.range(1, 999))
    }

    /// Returns an address from the documentation ranges (RFC 5737) or private space.
    pub fn ipv4(&mut self) -> String {
        let prefix = *self.rng.pick(&["192.0.2", "198.51.100", "203.0.113", "10.20.30"]);
        format!("{prefix}.{}", self.rng.range(1, 254))
    }

    pub fn zip(&mut self) -> String {
        format!("{:05}", self.rng.range(1001, 99950))
    }

    pub fn address(&mut self) -> String {
        let street = *self.rng.pick(&["Maple", "Oak", "Cedar", "Lakeview", "Hillcrest", "Willow", "Elm", "Sunset"]);
        let suffix = *self.rng.pick(&["St", "Ave", "Rd", "Blvd", "Lane", "Drive", "Ct"]);
        let city = *self.rng.pick(&["Springfield", "Riverton", "Fairview", "Greenville", "Lakewood"]);
        let state = *self.rng.pick(&["IL", "OH", "TX", "WA", "NY", "GA", "MN"]);
        let zip = self.zip();
        format!("{} {street} {suffix}, {city}, {state} {zip}", self.rng.range(10, 9999))
    }

    /// A date of birth in one of the layouts detectors must read.
    pub fn dob(&mut self) -> String {
        let year = self.rng.range(1930, 2015);
        let month = self.rng.range(1, 12);
        let day = self.rng.range(1, 28);
        match self.rng.range(0, 2) {
            0 => format!("{year}-{month:02}-{day:02}"),
            1 => format!("{month:02}/{day:02}/{year}"),
            _ => {
                let name = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][month as usize - 1];
                format!("{name} {day}, {year}")
            }
        }
    }

    pub fn mrn(&mut self) -> String {
        match self.rng.range(0, 2) {
            0 => self.digits(8),
            1 => format!("E{}", self.digits(7)),
            _ => format!("{}-{}", self.digits(3), self.digits(5)),
        }
    }

    pub fn member_id(&mut self) -> String {
        match self.rng.range(0, 1) {
            0 => format!("W{}", self.digits(9)),
            _ => format!("XQH{}", self.digits(8)),
        }
    }

    pub fn icd10(&mut self) -> String {
        self.rng
            .pick(&["E11.9", "J45.909", "F32.9", "M54.5", "Z79.4", "N18.3", "C50.911", "K21.9", "G47.33", "I25.10"])
            .to_string()
    }

    pub fn ndc(&mut self) -> String {
        format!("{}-{}-{}", self.digits(5), self.digits(4), self.digits(2))
    }

    pub fn uuid(&mut self) -> String {
        let hex = |rng: &mut Rng, count: usize| -> String {
            (0..count).map(|_| char::from(b"0123456789abcdef"[rng.range(0, 15) as usize])).collect()
        };
        let rng = &mut self.rng;
        format!("{}-{}-4{}-a{}-{}", hex(rng, 8), hex(rng, 4), hex(rng, 3), hex(rng, 3), hex(rng, 12))
    }

    pub fn timestamp(&mut self) -> String {
        format!(
            "2026-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            self.rng.range(1, 12),
            self.rng.range(1, 28),
            self.rng.range(0, 23),
            self.rng.range(0, 59),
            self.rng.range(0, 59),
            self.rng.range(0, 999)
        )
    }
}

/// A planted identifier's kind and byte span in the generated text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Label {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// Generated text with its labels.
#[derive(Debug, Default)]
pub struct Corpus {
    pub text: Vec<u8>,
    pub labels: Vec<Label>,
}

impl Corpus {
    fn push(&mut self, text: &str) {
        self.text.extend_from_slice(text.as_bytes());
    }

    fn planted(&mut self, kind: Kind, value: &str) {
        let start = self.text.len();
        self.push(value);
        self.labels.push(Label { kind, start, end: self.text.len() });
    }
}

/// Writes log lines until the corpus contains at least `target_bytes`, with
/// every template equally likely: a dense mix in which most lines carry an
/// identifier or a near miss.
pub fn corpus(seed: u64, target_bytes: usize) -> Corpus {
    let mut ids = Identifiers::new(seed);
    let mut corpus = Corpus::default();
    while corpus.text.len() < target_bytes {
        let template = ids.rng.range(0, TEMPLATES - 1);
        write_line(&mut ids, &mut corpus, template);
    }
    corpus
}

/// Writes log lines until the corpus contains at least `target_bytes`, where
/// `phi_percent` of the lines plant identifiers, a tenth of the rest are near
/// misses, and the others are plain application log lines. This is closer to
/// production logs than [`corpus`].
pub fn log_text(seed: u64, target_bytes: usize, phi_percent: u64) -> Corpus {
    let mut ids = Identifiers::new(seed);
    let mut corpus = Corpus::default();
    while corpus.text.len() < target_bytes {
        let template = if ids.rng.chance(phi_percent) {
            ids.rng.range(0, FIRST_NEAR_MISS_TEMPLATE - 1)
        } else if ids.rng.chance(10) {
            ids.rng.range(FIRST_NEAR_MISS_TEMPLATE, FIRST_PLAIN_TEMPLATE - 1)
        } else {
            ids.rng.range(FIRST_PLAIN_TEMPLATE, TEMPLATES - 1)
        };
        write_line(&mut ids, &mut corpus, template);
    }
    corpus
}

/// Number of line templates that [`write_line`] writes.
pub const TEMPLATES: u64 = 19;
/// Templates from this one on plant no identifier: near misses first.
pub const FIRST_NEAR_MISS_TEMPLATE: u64 = 9;
/// Templates from this one on are plain log lines with no near miss.
pub const FIRST_PLAIN_TEMPLATE: u64 = 14;

/// Writes one log line of the given template (taken modulo the template
/// count). Templates 0-8 plant identifiers, 9-13 are near misses, and 14-18
/// are plain log lines.
pub fn write_line(ids: &mut Identifiers, c: &mut Corpus, template: u64) {
    let ts = ids.timestamp();
    match template % TEMPLATES {
        0 => {
            c.push(&format!(r#"{{"ts":"{ts}","level":"INFO","svc":"claims-api","msg":"eligibility check","patient":{{"mrn":""#));
            let mrn = ids.mrn();
            c.planted(Kind::Mrn, &mrn);
            c.push(r#"","dob":""#);
            let dob = ids.dob();
            c.planted(Kind::Dob, &dob);
            c.push(r#"","ssn":""#);
            let ssn = ids.ssn();
            c.planted(Kind::Ssn, &ssn);
            c.push(&format!(r#""}},"trace_id":"{}"}}"#, ids.uuid()));
        }
        1 => {
            c.push(&format!("{ts} INFO intake worker=7 member_id="));
            let member = ids.member_id();
            c.planted(Kind::MemberId, &member);
            c.push(" phone=");
            let phone = ids.phone();
            c.planted(Kind::Phone, &phone);
            c.push(" rendering_npi=");
            let npi = ids.npi();
            c.planted(Kind::Npi, &npi);
            c.push(&format!(" latency_ms={}", ids.rng.range(1, 900)));
        }
        2 => {
            let ip = ids.ipv4();
            c.planted(Kind::Ipv4, &ip);
            c.push(" - - [05/Mar/2026:10:22:31 +0000] \"GET /api/v1/eligibility?mbi=");
            let mbi = ids.mbi();
            c.planted(Kind::Mbi, &mbi);
            c.push(&format!(" HTTP/1.1\" 200 {} \"-\" \"okhttp/4.12.0\"", ids.rng.range(200, 90000)));
        }
        3 => {
            c.push("java.lang.IllegalStateException: duplicate beneficiary ");
            let mbi = ids.mbi();
            c.planted(Kind::Mbi, &mbi);
            c.push(&format!(" for claim {}\n\tat com.example.claims.Matcher.match(Matcher.java:{})", ids.uuid(), ids.rng.range(10, 900)));
        }
        4 => {
            c.push(&format!("{ts} WARN rx prescriber DEA "));
            let dea = ids.dea();
            c.planted(Kind::Dea, &dea);
            c.push(" dispensed NDC ");
            let ndc = ids.ndc();
            c.planted(Kind::Ndc, &ndc);
            c.push(" dx ");
            let icd = ids.icd10();
            c.planted(Kind::Icd10, &icd);
            c.push(" patient cell ");
            let phone = ids.phone();
            c.planted(Kind::Phone, &phone);
        }
        5 => {
            c.push(&format!("{ts} INFO legacy crosswalk hicn="));
            let hicn = ids.hicn();
            c.planted(Kind::Hicn, &hicn);
            c.push(" mbi=");
            let mbi = ids.mbi();
            c.planted(Kind::Mbi, &mbi);
        }
        6 => {
            c.push(&format!("{ts} INFO shipment for patient address=\""));
            let address = ids.address();
            c.planted(Kind::Address, &address);
            c.push("\" zip=");
            let zip = ids.zip();
            c.planted(Kind::Zip, &zip);
        }
        7 => {
            c.push(&format!("{ts} INFO notify channel=email to="));
            let email = ids.email();
            c.planted(Kind::Email, &email);
            c.push(" status=sent client_ip=");
            let ip = ids.ipv4();
            c.planted(Kind::Ipv4, &ip);
        }
        8 => {
            c.push(&format!("{ts} ERROR record "));
            let ssn = ids.ssn();
            c.planted(Kind::Ssn, &ssn);
            c.push(" failed verification, DOB ");
            let dob = ids.dob();
            c.planted(Kind::Dob, &dob);
            c.push(" npi ");
            c.planted(Kind::Npi, vectors::CMS_EXAMPLE_NPI);
        }
        9 => {
            // Identifiers that fail validation, each next to its keyword.
            let (ssn, npi, dea, mbi) = (ids.invalid_ssn(), ids.bad_npi(), ids.bad_dea(), ids.bad_mbi());
            c.push(&format!("{ts} WARN validation rejected ssn={ssn} npi={npi} dea={dea} mbi={mbi}"));
        }
        10 => {
            let order = ids.rng.range(100_000_000, 899_999_999);
            let epoch = ids.rng.range(1_600_000_000, 1_799_999_999);
            let millis = epoch * 1000 + ids.rng.range(0, 999);
            c.push(&format!(
                "{ts} DEBUG cache key={} order_id={order} epoch={epoch} ts_ms={millis} build=v10.2.3.4 took {}ms",
                ids.uuid(),
                ids.rng.range(1, 99_999)
            ));
        }
        11 => {
            let fictional = ids.fictional_phone();
            c.push(&format!(
                "{ts} INFO support line {fictional} ext 4410 ticket ORD-{}-{} sku=AB{}",
                ids.rng.range(10_000, 99_999),
                ids.rng.range(10, 99),
                ids.rng.range(1000, 9999)
            ));
        }
        12 => {
            c.push(&format!(
                "{ts} INFO GET /static/app.{}.js 200 bytes={} upstream=10.0.{}.{}:8080 request_id={}",
                ids.rng.range(1000, 9999),
                ids.rng.range(100_000_000, 999_999_999),
                ids.rng.range(0, 255),
                ids.rng.range(1, 254),
                ids.uuid()
            ));
        }
        13 => {
            c.push(&format!(
                "{ts} INFO batch {} of {} processed in {}.{}s checksum={:016x} version 4.18.2",
                ids.rng.range(1, 500),
                ids.rng.range(500, 999),
                ids.rng.range(0, 59),
                ids.rng.range(0, 999),
                ids.rng.next_u64()
            ));
        }
        14 => {
            let path = *ids.rng.pick(&["/api/v1/health", "/api/v1/claims", "/api/v1/eligibility", "/metrics", "/login"]);
            c.push(&format!(
                "{ts} INFO http method=GET path={path} status=200 duration_ms={} bytes={}",
                ids.rng.range(1, 2000),
                ids.rng.range(100, 90_000)
            ));
        }
        15 => {
            c.push(&format!(
                "{ts} DEBUG db pool acquired connection active={} idle={} wait_us={}",
                ids.rng.range(0, 50),
                ids.rng.range(0, 50),
                ids.rng.range(1, 90_000)
            ));
        }
        16 => {
            let region = *ids.rng.pick(&["us-east-1", "us-west-2", "us-east-2"]);
            c.push(&format!("{ts} INFO session refreshed session={} region={region} ttl=3600", ids.uuid()));
        }
        17 => {
            c.push(&format!(
                "{ts} WARN retrying request to payments-service attempt={} backoff_ms={} error=\"connection reset by peer\"",
                ids.rng.range(1, 5),
                ids.rng.range(50, 5000)
            ));
        }
        _ => {
            c.push(&format!(
                r#"{{"ts":"{ts}","level":"info","logger":"org.example.scheduler.JobRunner","msg":"job finished","job":"nightly-export","rows":{},"elapsed":"{}.{}s"}}"#,
                ids.rng.range(0, 1_000_000),
                ids.rng.range(0, 300),
                ids.rng.range(0, 999)
            ));
        }
    }
    c.push("\n");
}
