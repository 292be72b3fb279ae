//! Prints the cosine similarities of the lines on standard input and the embedding speed:
//! `cargo run --release -p wisdom-embed --example embed < lines.txt`.

use std::io::BufRead;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let model = wisdom_embed::Model::load(&wisdom_embed::locate()?)?;
    eprintln!("loaded in {:?}", started.elapsed());
    let lines: Vec<String> = std::io::stdin().lock().lines().collect::<Result<_, _>>()?;
    let texts: Vec<&str> = lines.iter().map(String::as_str).collect();
    let started = Instant::now();
    let vectors = model.embed(&texts);
    let took = started.elapsed();
    eprintln!("{} texts in {took:?}: {:.0}/s", texts.len(), texts.len() as f64 / took.as_secs_f64());
    if texts.len() <= 12 {
        for (i, a) in vectors.iter().enumerate() {
            let row: Vec<String> =
                vectors.iter().map(|b| format!("{:.3}", a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>())).collect();
            println!("{:<50} {}", texts[i].chars().take(50).collect::<String>(), row.join(" "));
        }
        println!("first dims of the first: {:?}", &vectors[0][..6]);
    }
    Ok(())
}
