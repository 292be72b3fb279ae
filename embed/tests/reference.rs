//! The tokenizer and the encoder checked against an independent implementation (numpy over the
//! same weights, tokenized by the `tokenizers` package): token ids exactly, vectors to 1e-4.
//! Needs the model files (scripts/test fetches them; see `wisdom_embed::locate`).

use wisdom_embed::{locate, Model, DIM};

struct Case {
    text: &'static str,
    /// Token ids, `[CLS]` and `[SEP]` included (`None` where only the length is checked).
    ids: Option<&'static [u32]>,
    len: usize,
    /// The first 16 of the 384 floats.
    head: [f32; 16],
}

const LONG_TEXT: &str = "The quick brown fox jumps over the lazy dog near the quiet old river bank. The quick brown fox jumps over the lazy dog near the quiet old river bank. The quick brown fox jumps over the lazy dog near the quiet old river bank. The quick brown fox jumps over the lazy dog near the quiet old river bank. The quick brown fox jumps over the lazy dog near the quiet old river bank. The quick brown fox jumps over the lazy dog near the quiet old river bank. The quick brown fox jumps over the lazy dog near the quiet old river bank. The quick brown fox jumps over the lazy dog near the quiet old river bank. The quick brown fox jumps over the lazy dog near the quiet old river bank. The quick brown fox jumps over the lazy dog near the quiet old river bank. The quick brown fox jumps over the lazy dog near the quiet old river bank. The quick brown fox jumps over the lazy dog near the quiet old river bank. The quick brown fox jumps over the lazy dog near the quiet old river bank. The quick brown fox jumps over the lazy dog near the quiet old river bank. The quick brown fox jumps over the lazy dog near the quiet old river bank. The quick brown fox jumps over the lazy dog near the quiet old river bank. The quick brown fox jumps over the lazy dog near the quiet old river bank. The quick brown fox jumps over the lazy dog near the quiet old river bank. The quick brown fox jumps over the lazy dog near the quiet old river bank. The quick brown fox jumps over the lazy dog near the quiet old river bank.";

const CASES: &[Case] = &[
    Case {
        text: "My boss snapped at me in the standup",
        ids: Some(&[101, 2026, 5795, 5941, 2012, 2033, 1999, 1996, 3233, 6279, 102]),
        len: 11,
        head: [
            -0.026845, 0.149640, 0.016563, -0.007748, 0.078558, 0.021621, -0.005598, 0.026496, -0.007634, -0.064024,
            -0.001923, 0.046838, -0.029700, -0.066611, -0.049620, -0.059726,
        ],
    },
    Case {
        text: "Supervisor dismissed my proposal in front of everyone",
        ids: Some(&[101, 12366, 7219, 2026, 6378, 1999, 2392, 1997, 3071, 102]),
        len: 10,
        head: [
            0.096709, 0.076619, 0.072164, -0.013548, 0.096040, -0.055898, -0.025744, 0.032091, -0.062989, -0.063035,
            -0.001738, 0.022165, -0.058182, -0.017144, -0.012770, 0.002298,
        ],
    },
    Case {
        text: "Bought groceries and cooked pasta",
        ids: Some(&[101, 4149, 26298, 1998, 12984, 24857, 102]),
        len: 7,
        head: [
            -0.022279, 0.047074, 0.024092, 0.097696, 0.004793, -0.014959, 0.094026, 0.029610, -0.007159, -0.073722,
            0.028232, -0.026433, -0.044673, -0.001307, -0.011235, -0.047625,
        ],
    },
    Case {
        text: "A man is eating food.",
        ids: Some(&[101, 1037, 2158, 2003, 5983, 2833, 1012, 102]),
        len: 8,
        head: [
            0.033242, 0.004406, -0.006277, 0.048379, -0.138702, -0.033617, 0.101128, -0.054385, -0.043248, -0.039941,
            0.007786, -0.012749, -0.066830, -0.017387, 0.047451, -0.057724,
        ],
    },
    Case {
        text: "A man is eating a piece of bread.",
        ids: Some(&[101, 1037, 2158, 2003, 5983, 1037, 3538, 1997, 7852, 1012, 102]),
        len: 11,
        head: [
            0.052518, 0.055241, -0.011188, -0.005745, -0.127208, -0.022252, 0.076879, 0.013185, -0.025426, 0.065538,
            -0.016724, -0.041409, -0.087101, -0.039786, 0.000449, -0.058747,
        ],
    },
    Case {
        text: "A man is riding a horse.",
        ids: Some(&[101, 1037, 2158, 2003, 5559, 1037, 3586, 1012, 102]),
        len: 9,
        head: [
            -0.004625, -0.014133, 0.041003, 0.027542, -0.112541, -0.018230, 0.101276, 0.027456, 0.028737, -0.022370,
            -0.020242, 0.045608, 0.007481, 0.008094, -0.058769, 0.040987,
        ],
    },
    Case {
        text: "Café crème with Zoë — naïve résumé!!",
        ids: Some(&[101, 7668, 13675, 21382, 2007, 11199, 1517, 15743, 13746, 999, 999, 102]),
        len: 12,
        head: [
            -0.058663, -0.061944, 0.063446, -0.010783, 0.002860, 0.058744, 0.016231, -0.024319, -0.077198, -0.077231,
            -0.028497, -0.021515, 0.029476, -0.001214, -0.029018, -0.027697,
        ],
    },
    Case {
        text: "don't   WON'T can't... it's 3:45pm, e-mail me @ home (ok?)",
        ids: Some(&[
            101, 2123, 1005, 1056, 2180, 1005, 1056, 2064, 1005, 1056, 1012, 1012, 1012, 2009, 1005, 1055, 1017, 1024,
            3429, 9737, 1010, 1041, 1011, 5653, 2033, 1030, 2188, 1006, 7929, 1029, 1007, 102,
        ]),
        len: 32,
        head: [
            -0.034316, -0.090528, 0.047072, -0.035386, 0.057499, -0.002058, -0.002146, -0.037572, 0.076667, -0.029873,
            -0.051822, -0.069260, -0.059064, 0.002641, -0.044406, 0.028863,
        ],
    },
    Case {
        text: "“Smart quotes” and ‘single’ ones… plus an em—dash",
        ids: Some(&[
            101, 1523, 6047, 16614, 1524, 1998, 1520, 2309, 1521, 3924, 1529, 4606, 2019, 7861, 1517, 11454, 102,
        ]),
        len: 17,
        head: [
            -0.080521, -0.001878, 0.081084, 0.038415, -0.017125, -0.001227, 0.109071, 0.018970, 0.022112, 0.003564,
            0.042160, 0.015776, 0.036524, -0.051372, 0.022408, 0.055132,
        ],
    },
    Case {
        text: "東京で寿司を食べた and 中文 mixed",
        ids: Some(&[101, 1879, 1755, 1665, 100, 1791, 1690, 1978, 1675, 30187, 1998, 1746, 1861, 3816, 102]),
        len: 15,
        head: [
            -0.006727, 0.026245, 0.089803, -0.005004, -0.135732, 0.066613, 0.023544, -0.035133, -0.023561, -0.034448,
            0.116021, -0.086358, -0.048531, -0.041656, 0.007042, -0.028046,
        ],
    },
    Case {
        text: "recieved the tommorow rpt; mgr unhappy #work-stress",
        ids: Some(&[
            101, 28667, 2666, 7178, 1996, 3419, 5302, 10524, 1054, 13876, 1025, 11460, 2099, 12511, 1001, 2147, 1011,
            6911, 102,
        ]),
        len: 19,
        head: [
            -0.131769, 0.000330, 0.025068, 0.043305, 0.063915, -0.008119, 0.034341, 0.025862, -0.062046, -0.053745,
            -0.023319, 0.007471, 0.000491, 0.010204, -0.032536, -0.007926,
        ],
    },
    Case {
        text: "unbelievablyextraordinarilylongwordthatisnotinthevocabularyatall",
        ids: Some(&[
            101, 4895, 8671, 2666, 3567, 6321, 10288, 6494, 8551, 3981, 11272, 10052, 18351, 8322, 7315, 17048, 18447,
            5369, 6767, 3540, 28808, 26139, 8095, 102,
        ]),
        len: 24,
        head: [
            0.008037, 0.019074, 0.026597, -0.009251, -0.137970, -0.013083, 0.040287, -0.009297, -0.032098, 0.044753,
            0.012189, -0.037404, 0.064174, -0.020273, -0.047959, -0.076747,
        ],
    },
    Case {
        text: "",
        ids: Some(&[101, 102]),
        len: 2,
        head: [
            -0.118838, 0.048299, -0.002548, -0.011011, 0.051951, 0.010292, 0.115433, 0.000701, -0.085925, -0.070654,
            0.001332, -0.035472, 0.018434, -0.006737, 0.024403, -0.029503,
        ],
    },
    Case {
        text: LONG_TEXT,
        ids: None,
        len: 128,
        head: [
            0.098628, 0.005713, 0.063211, 0.008345, 0.007467, -0.020151, -0.007141, -0.095166, -0.010884, -0.016873,
            0.097213, 0.012329, -0.055748, -0.016903, 0.033055, 0.021569,
        ],
    },
];

fn model() -> Model {
    let dir = locate().expect("the model files are needed for this test: run scripts/test, or set WISDOM_MODEL_DIR");
    Model::load(&dir).expect("the model loads")
}

#[test]
fn token_ids_match_bert_wordpiece() {
    let m = model();
    for c in CASES {
        let ids = m.token_ids(c.text);
        assert_eq!(ids.len(), c.len, "{:?}", c.text);
        if let Some(want) = c.ids {
            assert_eq!(ids, want, "{:?}", c.text);
        }
    }
}

#[test]
fn vectors_match_the_reference_one_by_one_and_in_a_batch() {
    let m = model();
    let texts: Vec<&str> = CASES.iter().map(|c| c.text).collect();
    let batch = m.embed(&texts);
    for (c, v) in CASES.iter().zip(&batch) {
        assert_eq!(v.len(), DIM);
        let alone = &m.embed(&[c.text])[0];
        for i in 0..16 {
            assert!((v[i] - c.head[i]).abs() < 1e-4, "{:?} dim {i}: {} vs {}", c.text, v[i], c.head[i]);
            assert!((alone[i] - v[i]).abs() < 1e-5, "{:?}: a batch changes the vector", c.text);
        }
        let norm: f32 = v.iter().map(|x| x * x).sum();
        assert!((norm - 1.0).abs() < 1e-4);
    }
}

#[test]
fn paraphrases_are_closer_than_unrelated_sentences() {
    let m = model();
    let v = m.embed(&["A man is eating food.", "A man is eating a piece of bread.", "A man is riding a horse."]);
    let cos = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
    assert!((cos(&v[0], &v[1]) - 0.7553).abs() < 1e-3);
    assert!((cos(&v[0], &v[2]) - 0.2474).abs() < 1e-3);
}
