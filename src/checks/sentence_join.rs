//! `check = "sentence-join"`: two sentences run together without a full
//! stop, as when a scraper drops the `.` between paragraphs:
//! `eingesetzt werden Die russische Armee`, `es sein Am Ende`.
//!
//! A capital letter after a lower-case word is normal German (every noun is
//! capitalised), so a capital alone is no evidence. The check needs three
//! things: a word that only starts sentences when capitalised (an article,
//! pronoun or preposition: `Die`, `Am`, `Es`; `The`, `It`), directly after
//! a lower-case word that can end a clause (not an article, preposition or
//! conjunction, which always need a continuation), and a word after it.
//! Known names that begin with such a word (`Die Zeit`, `The Times`) are
//! exceptions. All lists are per language, in the rule's `options`.

use super::{Check, CompileError, Ctx, Field, applicability, meta_regex, options, regex};
use crate::diagnostic::Diagnostic;
use crate::fix::{Applicability, Edit, Fix};
use crate::rules::Rule;
use crate::text::LineIndex;
use regex::Regex;
use regex_automata::{Anchored, Input};
use serde::Deserialize;
// foldhash: the word sets are looked up on every candidate, and SipHash
// was a tenth of the check.
use foldhash::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;
use std::sync::OnceLock;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LangOptions {
    /// Capitalised words that, after a lower-case word, start a sentence.
    starters: Vec<String>,
    /// Lower-case words that cannot end a clause (the join needs one that can).
    not_after: Vec<String>,
    /// Names starting with a starter word, which may follow any word.
    #[serde(default)]
    names: Vec<String>,
    /// Skip lines written in Title Case (English headlines).
    #[serde(default)]
    skip_title_case: bool,
    /// Require the word after the starter to be lower-case: in English a
    /// capitalised one (`founded The Sports Brat`) almost always makes a name.
    #[serde(default)]
    next_lowercase: bool,
    /// Starters strong enough to count after a capitalised word too
    /// (`in die Stadt Es regnete`, `on Monday They agreed`): pronouns and
    /// sentence adverbs, which names rarely contain.
    #[serde(default)]
    after_capitalised: Vec<String>,
    /// After a capitalised word, these starters (`true`: all of them) count
    /// when a lower-case word follows (`nach Karlsruhe In ein Gebiet`, `in
    /// der Kinder- und Jugendarbeit Mit der Einladung`, `on Friday But both`):
    /// names built with an article or a preposition go on with a capital
    /// (`Hotel Am Markt`, `Frankfurt Am Main`). English names keep their
    /// prepositions lower-case after a capitalised one (`Dancing With the
    /// Stars`), so English lists the words that are not prepositions.
    #[serde(default)]
    after_capitalised_before_lowercase: Starters,
    /// Starters that count after a capitalised word whatever follows them
    /// (`ohne Hund Frauen`, `in der Mittagssonne Die Flüchtlinge`): German
    /// writes articles in small letters inside a sentence, names included.
    #[serde(default)]
    after_capitalised_any: Vec<String>,
    /// Capitalised words that end a sentence and start no name: after one,
    /// a starter of `after_capitalised` or `after_capitalised_before_lowercase`
    /// counts whatever follows it (English weekdays: `it was learned
    /// Tuesday The Hyogo police`). Case as written.
    #[serde(default)]
    time_words: Vec<String>,
    /// Words before a weekday or a month that make it a time, not a name's
    /// part (`last February`, `on Monday`; a verb in `-ed` or a verb of
    /// `attribution_verbs` too: `announced Monday`, `said Friday`), for
    /// the lexicon of `small_words` (not `boys Sunday School class`).
    /// Empty: any word in small letters.
    #[serde(default)]
    time_openers: Vec<String>,
    /// Labels that open a caption's credit or a note (`Photo:`, `Foto:`,
    /// `Tipp:`): after a word in small letters they count as starters,
    /// but only before a colon (`at one of the daily briefings Photo:
    /// Jonathan Nackstrand/AFP`). Case as written.
    #[serde(default)]
    labels: Vec<String>,
    /// Fixed phrases of a preposition and a noun that end their clause as
    /// a verb particle does (`steht … zur Verfügung`, `kommt … zum
    /// Einsatz`, `im Mittelpunkt`): inside a clause a verb in small
    /// letters or a punctuation mark follows them, so a capitalised word
    /// that goes on with a word in small letters opens a sentence there
    /// (`zur Verfügung Detailrecherchen sind`). Case as written.
    #[serde(default)]
    closing_phrases: Vec<String>,
    /// Endings of the adjectives that open a name of two words
    /// (`Europäischen Union`, `Deutschen Wetterdienst`): such a name is
    /// whole, so a title does not go on after it as it does after two
    /// capitalised words (`Stephen Kings Die Arena`). Lower case.
    #[serde(default)]
    name_adjective_endings: Vec<String>,
    /// Nouns after which a starter opens a title or a name rather than a
    /// sentence (`in seinem Buch Der Wille zum Wissen`, `vor der Straße An
    /// der Wuhlheide`). Lower case.
    #[serde(default)]
    title_nouns: Vec<String>,
    /// Starters that never stand right before a comma at the start of a
    /// sentence, as a preposition or an article does not (`In,`, `The,`;
    /// `But,` and `We, the people` may): followed by one, the starter ends
    /// a title or a name (`We Kept the Lights On, told the story`).
    #[serde(default)]
    not_before_comma: Vec<String>,
    /// Starters that may be the last word of a title in Title Case
    /// (`On`, `Once`, `Now`): after a run of capitalised words that opens
    /// right after a title noun or one of `title_run_nouns`, such a starter
    /// ends the title (`her debut I Was a Harbour Once will find`, `the
    /// album We Left the Lights On sounds`), where an article or a pronoun
    /// would open a sentence (`the album Blue Skies The band`).
    #[serde(default)]
    title_enders: Vec<String>,
    /// Conjunctions that open a clause whose verb stands last (German
    /// `als`, `weil`, `dass`): after one and a subject pronoun (see
    /// `subject_pronouns`), a starter followed within six words by a word
    /// in small letters that closes the clause (`als er Die Blechtrommel
    /// zeigte,`) is the clause's object, a title, not a new sentence: the
    /// clause has not reached its verb. Lower case.
    #[serde(default)]
    verb_final_openers: Vec<String>,
    /// Personal pronouns as subjects, for `verb_final_openers`. Lower case.
    #[serde(default)]
    subject_pronouns: Vec<String>,
    /// Nouns besides `title_nouns` that name a work only before a run of
    /// capitalised words (`debut`, `record`: `made his debut The crowd`
    /// is a join). Lower case.
    #[serde(default)]
    title_run_nouns: Vec<String>,
    /// Capitalised nouns of works and vessels (German), a subset of
    /// `title_nouns` whose titles and names may open with any word, a
    /// pronoun too (`das Album Ich geh noch ein Stück`, `der Roman Wir
    /// hätten bleiben sollen`): after one, no starter opens a sentence.
    /// (After a title noun in small letters, as English writes them, no
    /// starter counts already but for a few conjunctions.) Lower case,
    /// counted at the end of a compound as `title_nouns` are
    /// (`Fernsehdrama`).
    #[serde(default)]
    work_nouns: Vec<String>,
    /// Whether a title noun also counts as the end of a compound
    /// (`Puppentruppe Das Helmi`, `Kinderbuch Die`), as German writes them;
    /// otherwise only the whole word counts (English `Leadership The`
    /// names no title).
    #[serde(default)]
    compound_title_nouns: bool,
    /// Words of `not_after` that also end a clause as a verb's particle
    /// (`stellen wir vor`, `zog ins Endspiel ein`): before one of the
    /// `after_capitalised` starters they count (`zog ins Endspiel ein
    /// Dann`), since a preposition is never followed by those.
    #[serde(default)]
    particles: Vec<String>,
    /// Pronouns among the starters: after a capitalised word and before a
    /// comma or a full stop they are part of a name (`vice-premier Liu He,`).
    #[serde(default)]
    pronouns: Vec<String>,
    /// Copulas and verbs of saying that take a question as complement
    /// (`Kernfragen seien Wie …`, `the question is How …`): before one of
    /// `question_words` they join nothing.
    #[serde(default)]
    complement_verbs: Vec<String>,
    #[serde(default)]
    question_words: Vec<String>,
    /// Verbs of naming (`nannten sie ihn Der Coach`, `dubbed it The …`):
    /// within three words before the starter, what follows is a name.
    #[serde(default)]
    naming_words: Vec<String>,
    /// Verbs of naming close their clause in this language's subordinate
    /// clauses (`den alle nur An nennen`, `eine glatte Sechs nennen`):
    /// one of `naming_words` within three words after the starter, and
    /// last in its clause, makes the starter a name.
    #[serde(default)]
    naming_verb_final: bool,
    /// Starters that open a title after a name in the genitive, which
    /// this language writes without an apostrophe (`Erich Kästners Das
    /// fliegende Klassenzimmer`): a capitalised word ending in `s` that
    /// follows a capitalised word, no determiner (`Erich`, not `des
    /// Jahres`), and a noun or an inflected adjective after the starter.
    #[serde(default)]
    genitive_title_starters: Vec<String>,
    /// Pronouns of polite address, capitalised inside a sentence (`Du`,
    /// `Sie`): after a starter they count as a word in small letters.
    #[serde(default)]
    polite_pronouns: Vec<String>,
    /// Starters that also count as contractions (`It's`, `They’re`); a
    /// possessive (`Today's Word`) is no sentence start.
    #[serde(default)]
    contractions: Vec<String>,
    /// Words that, right after a starter, make it a noun or part of a
    /// phrase rather than a sentence start (`das verschlossene Ich und die
    /// Liebe`). Lower case.
    #[serde(default)]
    not_before: Vec<String>,
    /// Starters that are nouns too (`das Ich`): no sentence start after one
    /// of `determiners`, or after an inflected adjective that follows one
    /// (`mein wahres Ich`, `das verschlossene Ich`).
    #[serde(default)]
    noun_starters: Vec<String>,
    /// Articles and possessives, lower case (see `noun_starters`).
    #[serde(default)]
    determiners: Vec<String>,
    /// Words that, right after a noun starter, show it is the noun
    /// (`aus dem in sich verschlossenen Ich zur Freigabe`, `das Ich ist`):
    /// prepositions, conjunctions, verbs in the third person. Lower case.
    #[serde(default)]
    noun_followers: Vec<String>,
    /// Starters that, after a lower-case word, count before a capitalised
    /// word too, where `next_lowercase` asks for a lower-case one (`over
    /// his lifetime Unlike Hitler`): conjunctions and prepositions that
    /// open a sentence and hardly ever a name.
    #[serde(default)]
    before_capitalised: Vec<String>,
    /// Starters that count only before one of their words, lower case:
    /// German `Sie` before a verb in the third person singular (`Sie ist`,
    /// `Sie hat`) is `she` opening a sentence, where the polite `Sie`
    /// inside one takes the plural (`können Sie`, `Sie sind`).
    #[serde(default)]
    starters_before: HashMap<String, Vec<String>>,
    /// More words for `starters_before` that count only after a
    /// capitalised word, where the starter is one of
    /// `after_capitalised_any`: German `Sie` before a verb in the plural
    /// after a noun (`im Freistaat Sie sind`), where after a verb it is
    /// the polite `Sie` (`können Sie sind` does not occur, `wenn Sie
    /// sind` does).
    #[serde(default)]
    after_capitalised_before: HashMap<String, Vec<String>>,
    /// More words for `starters_before` that count when the clause goes
    /// on after them, with two words or more before a punctuation mark:
    /// German `Sie` before a verb in the plural is the polite `Sie` or
    /// `they`, which opens a main clause (`die Smart Glasses Sie können
    /// wie eine Brille aufgesetzt werden`) and ends a subordinate one
    /// with its verb (`wenn Sie können,`, `was Sie haben wollen`).
    #[serde(default)]
    starters_before_clause: HashMap<String, Vec<String>>,
    /// Words after which a starter of `starters_before` is an object, not
    /// a subject (`ob er Sie kennt`, `was Sie hat`), and which never end
    /// a clause before a verb of `verb_first_pronouns`. Lower case.
    #[serde(default)]
    not_after_conditional: Vec<String>,
    /// Pronouns that, before a verb in the third person singular, open a
    /// sentence after a noun inside a sentence, a name too (`Meditation Sie hilft uns`,
    /// `World Sailing Foundation Sie bringt`): the polite `Sie` takes the
    /// plural. The verb is a word in small letters ending in one of
    /// `singular_verb_endings` (`hilft`, `brachte`) and not one of
    /// `not_singular_verbs` (adverbs that end so: `nicht`, `heute`); its
    /// clause goes on after it, with no auxiliary (`, wenn die Polizei Sie
    /// gestoppt hat`), and the clause before is no subordinate one (`dass
    /// der Arzt Sie berät und`).
    #[serde(default)]
    singular_starters: Vec<String>,
    #[serde(default)]
    singular_verb_endings: Vec<String>,
    #[serde(default)]
    not_singular_verbs: Vec<String>,
    /// Pronouns that, after a capitalised verb, make it the first word of
    /// a question or a command (`Probieren Sie`, `Liegst du`, `Schaut
    /// man`, `Will er`): in the middle of a sentence a subject pronoun
    /// never follows a noun.
    #[serde(default)]
    verb_first_pronouns: Vec<String>,
    /// How the verbs before `verb_first_pronouns` end (`en`, `st`, `t`).
    #[serde(default)]
    verb_endings: Vec<String>,
    /// Verbs before `verb_first_pronouns` that end otherwise (`Will`).
    #[serde(default)]
    verb_first_words: Vec<String>,
    /// Endings of the word before such a verb that make it an adjective
    /// before a noun (`rosarote Aussichten Sie`), not the end of a clause.
    #[serde(default)]
    adjective_endings: Vec<String>,
    /// Those of `verb_first_pronouns` that may be objects too (`Sie`):
    /// they count only when the word before the verb is the fourth of its
    /// clause or later, as fronted phrases before the verb of a sentence
    /// (`Am Eingang erwarten Experten Sie`) are short.
    #[serde(default)]
    object_pronouns: Vec<String>,
    /// Starters that, after a lower-case word, count before a capitalised
    /// word too when the word before them is a noun after its article or
    /// possessive, maybe with one word between (`of the past The
    /// Republican Party`, `under the 75kb limit The AMP validator`): a
    /// verb takes a name as its object (`founded The Sports Brat`), a
    /// noun with its article does not.
    #[serde(default)]
    after_noun_phrase: Vec<String>,
    /// Verbs of saying among `not_after` (`said`, `sagte`): after the
    /// attribution of a quotation they end the sentence (`,” Claverie
    /// said Such support`). Lower case.
    #[serde(default)]
    attribution_verbs: Vec<String>,
    /// A clause whose verb stands last, then a noun (German: `weil es
    /// nahe an der Grenze arbeiten kann Teamchef Vasseur sagte`).
    #[serde(default)]
    clause_final: Option<ClauseFinalOptions>,
    /// Capitalised words of a shape that no list names, which open a
    /// sentence after a word in small letters: a gerund before an article
    /// or a particle (`on top instead Removing the closet doors`), an
    /// adverb made of an adjective (`stellte eine Hebelmarke fest
    /// Umgehend alarmierte er`).
    #[serde(default)]
    shapes: Vec<ShapeOptions>,
    /// Words written in small letters inside a sentence: capitalised
    /// after a word in small letters, one opens a sentence (`That's a
    /// horrible thing to say Life is precious`).
    #[serde(default)]
    small_words: Option<SmallWordsOptions>,
}

/// A lexicon of words that a sentence writes in small letters, wherever
/// they stand but at its start: for English, the common words whose
/// capitalised form is rare in a large corpus (`life`, `years`,
/// `health`), where names (`Brown`, `Apple`) are capitalised as often as
/// not.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SmallWordsOptions {
    /// The words, lower case, separated by blanks.
    words: String,
    /// Words after which a capitalised word of the lexicon is part of a
    /// name or a title (`any Illusion spells`, `new Poetry release`):
    /// quantifiers and adjectives. Lower case.
    #[serde(default)]
    not_after: Vec<String>,
    /// Endings of adjectives, after which the same holds (`temporary
    /// Trade and Agriculture Commission`). Lower case.
    #[serde(default)]
    not_after_endings: Vec<String>,
    /// Words two before the capitalised one that make the word between
    /// take it as its object or complement: a subject pronoun or a
    /// perfect auxiliary before a verb (`What made Happy hour yoga`, `we
    /// have updated Fall schedule`), an intensifier before an adjective
    /// (`so glad Cat and I`). Not before a verb of saying (`he said Half
    /// the wards`). Lower case.
    #[serde(default)]
    object_openers: Vec<String>,
}

/// A compiled [`SmallWordsOptions`]: the set is built when first needed.
struct SmallWords {
    words: String,
    set: OnceLock<HashSet<String>>,
    not_after: HashSet<String>,
    not_after_endings: Vec<String>,
    object_openers: Vec<String>,
}

impl SmallWords {
    fn set(&self) -> &HashSet<String> {
        self.set.get_or_init(|| {
            self.words
                .split_whitespace()
                .map(str::to_lowercase)
                .collect()
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ShapeOptions {
    /// How the word ends (`ing`, `lich`). Lower case.
    ending: String,
    /// The fewest letters of the word.
    #[serde(default)]
    min_letters: usize,
    /// The words that may follow it (`the`, `your`, `up`); when empty,
    /// any word in small letters, maybe after a comma. Lower case.
    #[serde(default)]
    before: Vec<String>,
    /// Endings of words with the shape that are nouns or names (`abend`,
    /// `trend`). Lower case.
    #[serde(default)]
    not_endings: Vec<String>,
    /// Whether the word before may be a capitalised one too (a German
    /// noun: `in vierter Generation Vorwiegend eingerichtet`), when it
    /// follows no other capitalised word and is no title noun.
    #[serde(default)]
    after_nouns: bool,
}

/// A compiled [`ShapeOptions`].
struct Shape {
    ending: String,
    min_letters: usize,
    not_endings: Vec<String>,
    after_nouns: bool,
}

/// The shapes that take the same words after them, searched in one pass.
struct ShapeGroup {
    /// The candidates' pattern, compiled when first needed.
    pattern: String,
    re: OnceLock<Option<regex_automata::meta::Regex>>,
    shapes: Vec<Shape>,
}

/// German puts the verbs of a subordinate clause, and the participle or
/// infinitive of a main clause with an auxiliary, at the end of the
/// clause. A capitalised word right after such a verb starts a sentence.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClauseFinalOptions {
    /// Finite auxiliaries and modals (`ist`, `hat`, `wird`, `kann`): they
    /// frame a main clause and end a subordinate one. Lower case.
    auxiliaries: Vec<String>,
    /// Auxiliaries in the infinitive that end a verb group after a
    /// participle (`betrieben werden`, `gesehen haben`). Lower case.
    final_auxiliaries: Vec<String>,
    /// Words that open a subordinate clause after a comma (`dass`,
    /// `weil`, `sofern`, `was`). Lower case.
    subordinators: Vec<String>,
    /// Relative pronouns (`die`, `denen`): after a comma, and maybe a
    /// preposition, they open a clause when one of `relative_next`
    /// follows (`, die mit Ökostrom betrieben werden`), since the same
    /// words are articles (`, dem gesetzlich vorgeschriebenen Zuschuss`).
    relative_pronouns: Vec<String>,
    /// Words after a relative pronoun: pronouns, prepositions, articles,
    /// particles. Lower case.
    relative_next: Vec<String>,
    /// Prepositions before a relative pronoun (`, mit denen`). Lower case.
    prepositions: Vec<String>,
    /// Conjunctions that start a new main clause, ending the frame of an
    /// auxiliary before them (`sind kontaktfreudig und haben Lust`).
    conjunctions: Vec<String>,
    /// How an infinitive or a participle ends (`en`, `ern`, `eln`).
    verb_endings: Vec<String>,
    /// Endings of inflected adjectives and participles (`ischen`,
    /// `enden`, `ten`, `enen`): such a word before a noun is its
    /// attribute (`dem in der Karte angegebenen Wert`).
    adjective_endings: Vec<String>,
    /// Endings of verbs that `adjective_endings` would take for
    /// adjectives (`ieren`, `halten`).
    verb_suffixes: Vec<String>,
    /// Verbs that `adjective_endings` would take for adjectives
    /// (`senden`, `finden`).
    verbs: Vec<String>,
    /// Stems of adjectives that inflect with `-en` (`lang`, `groß`).
    adjective_stems: Vec<String>,
    /// Stems of determiners and quantifiers (`kein`, `dies`, `viel`),
    /// with or without an ending.
    determiner_stems: Vec<String>,
    /// Adverbs and prepositions with a verb's ending (`eben`, `unten`).
    not_verbs: Vec<String>,
    /// The infinitive's particle (`zu`): `zu` and an infinitive end an
    /// infinitive clause. Lower case; empty for none.
    #[serde(default)]
    infinitive_particle: String,
    /// Words that open an infinitive clause (`um`, `ohne`, `statt`): `um
    /// die Räume zu wärmen`. Lower case.
    #[serde(default)]
    infinitive_openers: Vec<String>,
    /// Participles that always close their clause (`worden`, `gewesen`):
    /// after one, a capitalised word opens a sentence without an
    /// auxiliary earlier in the clause (`eingestellt oder behindert
    /// worden Rheinmetall stellt`). Lower case.
    #[serde(default)]
    closing_participles: Vec<String>,
    /// The prefix of a past participle (`ge`), after a separable prefix
    /// or none (`gestellt`, `eingestellt`). A word with it that ends in
    /// one of `participle_endings` is a participle too, besides the words
    /// with a `verb_endings` ending. Lower case; empty for none.
    #[serde(default)]
    participle_prefix: String,
    /// How a participle that `verb_endings` does not take ends (`t`).
    #[serde(default)]
    participle_endings: Vec<String>,
    /// Prefixes that a main clause splits off its verb (`an`, `aus`,
    /// `vor`): `sie legen den Test vor`. A verb written with one
    /// (`vorlegen`, `vorgelegt`, `vorzulegen`) is an infinitive, a
    /// participle or the verb of a subordinate clause, and ends its
    /// clause without an auxiliary before it (`einen Test vorlegen
    /// Kunden müssen`). Words that only look so (`herrschen`,
    /// `antworten`) go into `not_verbs`. Lower case.
    #[serde(default)]
    separable_prefixes: Vec<String>,
    /// Pronouns that the main search counts only before some words
    /// (`starters_before`: the polite `Sie`), and that open a sentence
    /// after a verb that cannot be finite, before a word in small
    /// letters: a participle or a verb that keeps its separable prefix
    /// (`zwischen den Bewässerungen austrocknen Sie brauchen`). After
    /// any other verb the pronoun may be its subject (`unter dem Titel
    /// gelangen Sie direkt`). Case as written.
    #[serde(default)]
    pronouns: Vec<String>,
    /// Finite verbs that are no infinitive (`ist`, `wäre`, `gibt`): a
    /// main clause puts one second, after one part of the sentence. A
    /// verb that ends its clause, a capitalised word (maybe an adjective
    /// and its noun) and one of these, with the clause going on, are two
    /// sentences (`Aufnahmen machen Theoretisch wäre es`), with no
    /// auxiliary earlier in the clause needed. Lower case.
    #[serde(default)]
    second_verbs: Vec<String>,
}

struct ClauseFinal {
    tails: Box<[u64]>,
    auxiliaries: HashSet<String>,
    final_auxiliaries: HashSet<String>,
    subordinators: HashSet<String>,
    relative_pronouns: HashSet<String>,
    relative_next: HashSet<String>,
    prepositions: HashSet<String>,
    conjunctions: HashSet<String>,
    verb_endings: Vec<String>,
    adjective_endings: Vec<String>,
    verb_suffixes: Vec<String>,
    verbs: HashSet<String>,
    adjective_stems: HashSet<String>,
    determiner_stems: HashSet<String>,
    not_verbs: HashSet<String>,
    infinitive_particle: String,
    infinitive_openers: HashSet<String>,
    closing_participles: HashSet<String>,
    participle_prefix: String,
    participle_endings: Vec<String>,
    separable_prefixes: Vec<String>,
    pronouns: HashSet<String>,
    second_verbs: HashSet<String>,
}

fn lower_set(words: Vec<String>) -> HashSet<String> {
    words.into_iter().map(|w| w.to_lowercase()).collect()
}

/// Each list of the map as a set of lower-case words.
fn lower_map(map: HashMap<String, Vec<String>>) -> HashMap<String, HashSet<String>> {
    map.into_iter().map(|(k, v)| (k, lower_set(v))).collect()
}

impl ClauseFinal {
    fn new(o: ClauseFinalOptions) -> Self {
        // The last two bytes of a verb ending (`en`), an auxiliary
        // (`kann`, `wird`) or a participle that closes its clause, a bit
        // set: the words before a space are read only after those.
        let mut tails = vec![0u64; 1024].into_boxed_slice();
        for w in o
            .verb_endings
            .iter()
            .chain(&o.auxiliaries)
            .chain(&o.final_auxiliaries)
            .chain(&o.closing_participles)
            .chain(&o.participle_endings)
        {
            match w.as_bytes() {
                [.., a, b] => {
                    let pair = usize::from(u16::from_be_bytes([*a, *b]));
                    tails[pair / 64] |= 1 << (pair % 64);
                }
                // a one-letter ending (`t`): after any byte
                [b] => {
                    for a in 0..=u8::MAX {
                        let pair = usize::from(u16::from_be_bytes([a, *b]));
                        tails[pair / 64] |= 1 << (pair % 64);
                    }
                }
                [] => {}
            }
        }
        ClauseFinal {
            tails,
            auxiliaries: lower_set(o.auxiliaries),
            final_auxiliaries: lower_set(o.final_auxiliaries),
            subordinators: lower_set(o.subordinators),
            relative_pronouns: lower_set(o.relative_pronouns),
            relative_next: lower_set(o.relative_next),
            prepositions: lower_set(o.prepositions),
            conjunctions: lower_set(o.conjunctions),
            verb_endings: o.verb_endings,
            adjective_endings: o.adjective_endings,
            verb_suffixes: o.verb_suffixes,
            verbs: lower_set(o.verbs),
            adjective_stems: lower_set(o.adjective_stems),
            determiner_stems: lower_set(o.determiner_stems),
            not_verbs: lower_set(o.not_verbs),
            infinitive_particle: o.infinitive_particle.to_lowercase(),
            infinitive_openers: lower_set(o.infinitive_openers),
            closing_participles: lower_set(o.closing_participles),
            participle_prefix: o.participle_prefix.to_lowercase(),
            participle_endings: o.participle_endings,
            separable_prefixes: o
                .separable_prefixes
                .into_iter()
                .map(|w| w.to_lowercase())
                .collect(),
            pronouns: o.pronouns.into_iter().collect(),
            second_verbs: lower_set(o.second_verbs),
        }
    }

    /// `word` (lower case) without a separable prefix that leaves a
    /// verb's stem and ending behind (four letters or more: `vor|legen`,
    /// not `teil|en`), or `None`.
    fn separable_rest<'w>(&self, word: &'w str) -> Option<&'w str> {
        self.separable_prefixes
            .iter()
            .filter_map(|p| word.strip_prefix(p.as_str()))
            .find(|rest| rest.chars().count() >= 4)
    }

    /// Whether `word` (lower case) is a past participle that
    /// `verb_endings` does not take: the participle prefix, maybe after
    /// a separable prefix, a stem and a participle ending (`gestellt`,
    /// `abgestimmt`).
    fn participle(&self, word: &str) -> bool {
        if self.participle_prefix.is_empty() {
            return false;
        }
        let rest = self.separable_rest(word).unwrap_or(word);
        rest.strip_prefix(self.participle_prefix.as_str())
            .is_some_and(|stem| {
                stem.chars().count() >= 4
                    && self
                        .participle_endings
                        .iter()
                        .any(|e| stem.ends_with(e.as_str()))
            })
    }

    /// Whether `word` (lower case), a verb form, keeps its separable
    /// prefix (`vorlegen`, `eingetroffen`, `aufzulegen`), so it ends its
    /// clause.
    fn unsplit(&self, word: &str) -> bool {
        self.separable_rest(word).is_some()
            && !self
                .verb_suffixes
                .iter()
                .any(|e| word.ends_with(e.as_str()))
    }

    /// Whether `rest`, the text from the space before a capitalised
    /// word, goes on with one of `second_verbs` and more of its clause:
    /// ` Theoretisch wäre es`, or after an adjective with one of
    /// `adjective_endings` and its noun, ` Iranisches Öl wird derweil`.
    fn second_verb_follows(&self, rest: &str, adjective_endings: &[String]) -> bool {
        if self.second_verbs.is_empty() {
            return false;
        }
        // the word after the space at the start of `r`, and what follows it
        fn word(r: &str) -> Option<(&str, &str)> {
            let r = r.strip_prefix(' ')?;
            Some(r.split_at(r.find(|c: char| !c.is_alphabetic()).unwrap_or(r.len())))
        }
        let Some((first, after)) = word(rest) else {
            return false;
        };
        let Some((mut verb, mut tail)) = word(after) else {
            return false;
        };
        if verb.starts_with(char::is_uppercase) {
            // an adjective and its noun
            if first.chars().count() < 5
                || !adjective_endings
                    .iter()
                    .any(|e| first.ends_with(e.as_str()))
            {
                return false;
            }
            let Some(next) = word(tail) else {
                return false;
            };
            (verb, tail) = next;
        }
        self.second_verbs.contains(verb)
            && tail
                .strip_prefix(' ')
                .is_some_and(|t| t.starts_with(char::is_alphabetic))
    }

    /// Whether `word` (lower case) is an inflected determiner
    /// (`welchen`, `diesem`, `manche`).
    fn determiner(&self, word: &str) -> bool {
        ["en", "em", "er", "es", "e"].iter().any(|e| {
            word.strip_suffix(e)
                .is_some_and(|s| self.determiner_stems.contains(s))
        })
    }

    /// Whether `word` is one of `adjective_stems` inflected with `-en`
    /// (`ähnlichen`).
    fn stem_adjective(&self, word: &str) -> bool {
        word.strip_suffix("en")
            .is_some_and(|s| self.adjective_stems.contains(s))
    }

    /// Whether `word` (lower case) is an inflected adjective, participle
    /// or determiner rather than a verb.
    fn adjective(&self, word: &str) -> bool {
        if self.verbs.contains(word) {
            return false;
        }
        self.determiner(word)
            || self.determiner_stems.contains(word)
            || self.stem_adjective(word)
            || (!self
                .verb_suffixes
                .iter()
                .any(|e| word.ends_with(e.as_str()))
                && self
                    .adjective_endings
                    .iter()
                    .any(|e| word.ends_with(e.as_str())))
    }
}

/// The months, for a date after a preposition that opens a sentence
/// (asked where titles are in Title Case, `next_lowercase`: English).
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Numbers written as words, for [`quantity_before`] (`Drei Minuten
/// Später`, a capital typed for a small letter, is no sentence either).
const NUMBER_WORDS: &[&str] = &[
    "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf",
    "zwanzig", "dreißig", "hundert", "two", "three", "four", "five", "six", "seven", "eight",
    "nine", "ten", "eleven", "twelve", "twenty", "thirty", "hundred",
];

/// Whether `at` lies inside a title in quotation marks: a quotation on
/// one line of up to twelve words that opens with a capital and ends with
/// no mark of a sentence or a clause (`Zum Artikel „Stadtrat beschließt
/// Aus für das Freibad“ vom 12. Juni`, a headline the letter answers).
/// Speech ends with its mark inside the quotation (`„Wir bleiben. Das
/// steht fest.“`), and a join there is reported.
fn in_quoted_title(text: &str, at: usize) -> bool {
    const WORDS: usize = 12;
    // (the look back and ahead stays within a short window of the line:
    // a title is short)
    let window = 200;
    let mut from = at.saturating_sub(window);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = &text[from..at];
    let before = before.rsplit_once('\n').map_or(before, |(_, b)| b);
    let Some((open, mark)) = before
        .char_indices()
        .rev()
        .find(|&(_, c)| matches!(c, '„' | '“' | '”' | '"' | '»' | '«'))
    else {
        return false;
    };
    let inner_start = open + mark.len_utf8();
    // An opening mark hugs the title's first letter, a capital.
    if !before[inner_start..].starts_with(char::is_uppercase) {
        return false;
    }
    let close = match mark {
        '„' => '“',
        '“' => '”',
        '»' => '«',
        '«' => '»',
        '"' => '"',
        _ => return false,
    };
    let after = &text[at..crate::text::floor_char_boundary(text, at + window)];
    let after = after.split_once('\n').map_or(after, |(a, _)| a);
    let Some(end) = after.find(close) else {
        return false;
    };
    let inner = format!("{}{}", &before[inner_start..], &after[..end]);
    !inner.ends_with(['.', '!', '?', ',', ';', ':', '…'])
        && !inner.contains(['„', '“', '”', '"', '»', '«'])
        && !crate::text::has_words(&inner, WORDS + 1)
}

/// Whether the words from the start of the line or sentence to `end` are
/// a quantity: numbers (`2`, `1/2`, `½`, `250g`) and at most one word, a
/// unit (`1 tsp`, `1 1/2 cups`, `200 g`).
fn quantity_before(text: &str, lines: &LineIndex, end: usize) -> bool {
    // (the line's start from the index: a search back for `\n` would
    // read a long line once per finding)
    let line = &text[lines.full(lines.line_of(end)).start..end];
    let bullet = |c: char| matches!(c, '-' | '*' | '•' | '–' | '—' | '·' | '+' | '>');
    // The fragment starts after the last stop followed by a space (not the
    // one of `39.991,11 Euro`), that is after a word ending in a stop. The
    // words are read back from the end, and at most five that hold more
    // than bullets: a fragment of five words is no quantity, and a long
    // line without a stop is not read once per finding.
    let mut from = 0;
    let mut rest = line;
    let mut solid = 0;
    loop {
        let kept = rest.trim_end();
        let Some(word_start) = kept
            .char_indices()
            .rev()
            .find(|&(_, c)| c.is_whitespace())
            .map(|(i, c)| i + c.len_utf8())
            .or((!kept.is_empty()).then_some(0))
        else {
            break;
        };
        let word = &kept[word_start..];
        if kept.len() < line.len() && word.ends_with(['.', '!', '?', ';', ':']) {
            from = kept.len();
            break;
        }
        if !word.chars().all(bullet) {
            solid += 1;
            if solid > 4 {
                return false;
            }
        }
        rest = &kept[..word_start];
    }
    let fragment = line[from..].trim_start_matches(|c: char| c.is_whitespace() || bullet(c));
    let numeric = |w: &str| {
        w.chars()
            .any(|c| c.is_ascii_digit() || matches!(c, '½' | '¼' | '¾' | '⅓' | '⅔'))
            || NUMBER_WORDS.contains(&w.to_lowercase().as_str())
    };
    let (mut numbers, mut words) = (0, 0);
    for w in fragment.split_whitespace() {
        if numeric(w) {
            numbers += 1;
        } else {
            words += 1;
        }
    }
    numbers >= 1 && words <= 1 && numbers + words <= 4
}

/// `true`, `false` or a list of starters.
#[derive(Deserialize, Default)]
#[serde(untagged)]
enum Starters {
    All(bool),
    Some(Vec<String>),
    #[default]
    #[serde(skip)]
    None,
}

impl Starters {
    fn set(self, all: &[String]) -> HashSet<String> {
        match self {
            Starters::All(true) => all.iter().cloned().collect(),
            Starters::Some(words) => words.into_iter().collect(),
            Starters::All(false) | Starters::None => HashSet::default(),
        }
    }
}

struct Lang {
    /// The pattern of the candidates, compiled when a document in the
    /// language first needs it: a run in one language never compiles the
    /// others' (five regexes were a tenth of a short run's start-up).
    pattern: String,
    re: OnceLock<Option<regex_automata::meta::Regex>>,
    /// The letters each alternative of `pattern` opens with, after its
    /// space (`Die`, `Aujourd` of `Aujourd'hui`), when every one opens
    /// with a capital that [`spaces_before_capitals`] finds: then a match
    /// starts only at such a space before one of these words, and the
    /// pattern runs anchored there instead of over every byte.
    firsts: Option<HashSet<String>>,
    not_after: HashSet<String>,
    names: Vec<String>,
    skip_title_case: bool,
    next_lowercase: bool,
    after_capitalised: HashSet<String>,
    after_capitalised_before_lowercase: HashSet<String>,
    after_capitalised_any: HashSet<String>,
    time_words: HashSet<String>,
    time_openers: HashSet<String>,
    labels: HashSet<String>,
    /// `closing_phrases` by their last word.
    closing_phrases: HashMap<String, Vec<String>>,
    name_adjective_endings: Vec<String>,
    title_nouns: Vec<String>,
    work_nouns: Vec<String>,
    not_before_comma: HashSet<String>,
    title_enders: HashSet<String>,
    title_run_nouns: HashSet<String>,
    verb_final_openers: HashSet<String>,
    subject_pronouns: HashSet<String>,
    compound_title_nouns: bool,
    particles: HashSet<String>,
    pronouns: HashSet<String>,
    complement_verbs: HashSet<String>,
    question_words: HashSet<String>,
    naming_words: HashSet<String>,
    naming_verb_final: bool,
    genitive_title_starters: HashSet<String>,
    not_before: HashSet<String>,
    noun_starters: HashSet<String>,
    determiners: HashSet<String>,
    noun_followers: HashSet<String>,
    before_capitalised: HashSet<String>,
    starters_before: HashMap<String, HashSet<String>>,
    starters_before_clause: HashMap<String, HashSet<String>>,
    polite_pronouns: HashSet<String>,
    after_capitalised_before: HashMap<String, HashSet<String>>,
    not_after_conditional: HashSet<String>,
    singular_starters: HashSet<String>,
    singular_verb_endings: Vec<String>,
    not_singular_verbs: HashSet<String>,
    /// The candidates of `verb_first_pronouns`, compiled when first needed.
    verb_first: Option<(String, OnceLock<Option<Regex>>)>,
    verb_endings: Vec<String>,
    verb_first_words: HashSet<String>,
    adjective_endings: Vec<String>,
    object_pronouns: Vec<String>,
    clause_final: Option<ClauseFinal>,
    attribution_verbs: HashSet<String>,
    after_noun_phrase: HashSet<String>,
    starters: HashSet<String>,
    shapes: Vec<ShapeGroup>,
    small_words: Option<SmallWords>,
}

pub struct SentenceJoin {
    rule: Arc<Rule>,
    langs: HashMap<String, Lang>,
    applicability: Applicability,
}

impl SentenceJoin {
    pub fn new(rule: &Arc<Rule>) -> Result<Self, CompileError> {
        let opts: HashMap<String, LangOptions> = options(rule)?;
        if opts.is_empty() {
            return Err(CompileError::new(
                Field::Options,
                "`sentence-join` needs `[rule.options.<lang>]` tables with `starters` and `not_after`",
            ));
        }
        let mut langs = HashMap::default();
        for (code, o) in opts {
            if o.starters.is_empty() {
                return Err(CompileError::new(
                    Field::Options,
                    format!("options.{code}.starters is empty"),
                ));
            }
            let mut all: Vec<String> = o.starters.clone();
            let mut conditional: Vec<&String> = o.starters_before.keys().collect();
            conditional.sort();
            all.extend(
                conditional
                    .into_iter()
                    .filter(|w| !o.starters.contains(w))
                    .cloned(),
            );
            let starters = alternation(&all);
            // one space, starter (maybe with a comma: `Meanwhile,`), one
            // space, start of a word; or a contraction (`It's`, `They’re`).
            // The word before is checked on each hit. Starting with the
            // literal ` Die`/` The` lets the regex engine skip ahead to
            // candidates. Runs of spaces are layout (table cells), not a
            // join.
            let mut word = format!(r" (?:{starters})[,:]? [\p{{L}}\p{{N}}„“‚»\x22']");
            // Labels only with their colon: a label without one must not
            // take the space before the next candidate (`Preis So wird`).
            let labels: Vec<String> = o
                .labels
                .iter()
                .filter(|w| !o.starters.contains(w))
                .cloned()
                .collect();
            if !labels.is_empty() {
                let labels = alternation(&labels);
                word.push_str(&format!(r"| (?:{labels}): [\p{{L}}\p{{N}}„“‚»\x22']"));
            }
            let pattern = if o.contractions.is_empty() {
                word
            } else {
                let contractions = alternation(&o.contractions);
                format!(r"{word}| (?:{contractions})['’]\p{{Ll}}")
            };
            let openers = all.iter().chain(&labels).chain(&o.contractions);
            let firsts = openers
                .clone()
                .all(|w| w.bytes().next().is_some_and(capital_lead::<false>))
                .then(|| {
                    openers
                        .map(|w| {
                            let end = w.find(|c: char| !c.is_alphabetic()).unwrap_or(w.len());
                            w[..end].to_string()
                        })
                        .collect()
                });
            // Built-in options compile in the test suite; a user's here,
            // so that an error points at their file.
            if !rule.origin.builtin {
                regex(&pattern)?;
            }
            let before_lowercase = o.after_capitalised_before_lowercase.set(&o.starters);
            langs.insert(
                code,
                Lang {
                    pattern,
                    re: OnceLock::new(),
                    firsts,
                    not_after: lower_set(o.not_after),
                    names: o.names,
                    skip_title_case: o.skip_title_case,
                    next_lowercase: o.next_lowercase,
                    after_capitalised: o.after_capitalised.into_iter().collect(),
                    after_capitalised_before_lowercase: before_lowercase,
                    after_capitalised_any: o.after_capitalised_any.into_iter().collect(),
                    time_words: o.time_words.into_iter().collect(),
                    time_openers: o.time_openers.into_iter().collect(),
                    labels: o.labels.into_iter().collect(),
                    closing_phrases: {
                        let mut by_last: HashMap<String, Vec<String>> = HashMap::default();
                        for p in o.closing_phrases {
                            let last = p.rsplit(' ').next().unwrap_or_default().to_string();
                            by_last.entry(last).or_default().push(p);
                        }
                        by_last
                    },
                    name_adjective_endings: o.name_adjective_endings,
                    title_nouns: o.title_nouns.iter().map(|w| w.to_lowercase()).collect(),
                    work_nouns: o.work_nouns.iter().map(|w| w.to_lowercase()).collect(),
                    not_before_comma: o.not_before_comma.into_iter().collect(),
                    title_enders: o.title_enders.into_iter().collect(),
                    title_run_nouns: lower_set(o.title_run_nouns),
                    verb_final_openers: lower_set(o.verb_final_openers),
                    subject_pronouns: lower_set(o.subject_pronouns),
                    compound_title_nouns: o.compound_title_nouns,
                    particles: lower_set(o.particles),
                    pronouns: o.pronouns.into_iter().collect(),
                    complement_verbs: lower_set(o.complement_verbs),
                    question_words: o.question_words.into_iter().collect(),
                    naming_words: lower_set(o.naming_words),
                    naming_verb_final: o.naming_verb_final,
                    genitive_title_starters: o.genitive_title_starters.into_iter().collect(),
                    not_before: lower_set(o.not_before),
                    noun_starters: o.noun_starters.into_iter().collect(),
                    determiners: lower_set(o.determiners),
                    noun_followers: lower_set(o.noun_followers),
                    before_capitalised: o.before_capitalised.into_iter().collect(),
                    after_capitalised_before: lower_map(o.after_capitalised_before),
                    polite_pronouns: o.polite_pronouns.into_iter().collect(),
                    starters_before_clause: lower_map(o.starters_before_clause),
                    starters_before: lower_map(o.starters_before),
                    not_after_conditional: lower_set(o.not_after_conditional),
                    singular_starters: o.singular_starters.into_iter().collect(),
                    singular_verb_endings: o.singular_verb_endings,
                    not_singular_verbs: lower_set(o.not_singular_verbs),
                    verb_first: (!o.verb_first_pronouns.is_empty()).then(|| {
                        let pronouns = alternation(&o.verb_first_pronouns);
                        (
                            // The pronoun only, which the regex engine
                            // finds by its literals; the verb before it is
                            // read by hand (a pattern that starts with it
                            // scanned every byte of the text).
                            format!(r" (?:{pronouns})[ ,.!?]"),
                            OnceLock::new(),
                        )
                    }),
                    verb_endings: o.verb_endings,
                    verb_first_words: o.verb_first_words.into_iter().collect(),
                    adjective_endings: o.adjective_endings,
                    object_pronouns: o.object_pronouns,
                    clause_final: o.clause_final.map(ClauseFinal::new),
                    attribution_verbs: lower_set(o.attribution_verbs),
                    after_noun_phrase: o.after_noun_phrase.into_iter().collect(),
                    starters: o.starters.into_iter().collect(),
                    shapes: shape_groups(o.shapes),
                    small_words: o.small_words.map(|sw| SmallWords {
                        words: sw.words,
                        set: OnceLock::new(),
                        not_after: lower_set(sw.not_after),
                        not_after_endings: sw.not_after_endings,
                        object_openers: sw.object_openers,
                    }),
                },
            );
        }
        Ok(SentenceJoin {
            rule: rule.clone(),
            langs,
            applicability: applicability(rule, Applicability::Unsafe),
        })
    }
}

/// The shapes grouped by the words that may follow them, each group with
/// one pattern: a capitalised word with one of the endings, then one of
/// the words, or any word in small letters (maybe after a comma).
fn shape_groups(shapes: Vec<ShapeOptions>) -> Vec<ShapeGroup> {
    let mut groups: Vec<(Vec<String>, Vec<Shape>)> = Vec::new();
    for sh in shapes {
        let shape = Shape {
            ending: sh.ending.to_lowercase(),
            min_letters: sh.min_letters,
            not_endings: sh.not_endings,
            after_nouns: sh.after_nouns,
        };
        match groups.iter_mut().find(|(before, _)| *before == sh.before) {
            Some((_, group)) => group.push(shape),
            None => groups.push((sh.before, vec![shape])),
        }
    }
    groups
        .into_iter()
        .map(|(before, shapes)| {
            let endings: Vec<String> = shapes.iter().map(|s| s.ending.clone()).collect();
            let word = format!(r" \p{{Lu}}\p{{Ll}}+(?:{})", alternation(&endings));
            // (or the pronoun `I`: `connection Unfortunately, I had`)
            let pattern = if before.is_empty() {
                format!(r"{word},? (?:\p{{Ll}}|I[ ’'])")
            } else {
                format!(r"{word} (?:{}) ", alternation(&before))
            };
            ShapeGroup {
                pattern,
                re: OnceLock::new(),
                shapes,
            }
        })
        .collect()
}

/// `words` as a regex alternation of literals.
fn alternation(words: &[String]) -> String {
    words
        .iter()
        .map(|s| regex::escape(s))
        .collect::<Vec<_>>()
        .join("|")
}

/// Start of the word ending at `end` (letters, marks, apostrophes inside).
fn word_start(text: &str, end: usize) -> usize {
    run_start(text, end, char::is_alphabetic)
}

/// Start of the run of characters that `keep` takes, or soft hyphens,
/// ending at `end`; `end` itself when there is none.
fn run_start(text: &str, end: usize, keep: impl Fn(char) -> bool) -> usize {
    text[..end]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| keep(c) || c == '\u{AD}')
        .last()
        .map_or(end, |(i, _)| i)
}

/// Whether the word starting at `start` (lower case: `lower`) follows
/// one of `determiners`, or is an adjective (one of `adjective_endings`)
/// after one: `mein Ich`, `ein wichtiger Hinweis`.
fn after_determiner<E: AsRef<str>>(
    text: &str,
    start: usize,
    lower: &str,
    determiners: &HashSet<String>,
    adjective_endings: &[E],
) -> bool {
    determiners.contains(lower)
        || (adjective_endings
            .iter()
            .any(|e| lower.ends_with(e.as_ref()))
            && word_before(text, start).is_some_and(|w| determiners.contains(&w.to_lowercase())))
}

/// The word after a starter ending at `end` (after a comma and spaces),
/// lower case.
fn next_word(text: &str, end: usize) -> String {
    text[end..]
        .trim_start_matches([',', ':', ' '])
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or_default()
        .to_lowercase()
}

/// Whether, after the starter ending at `end` and the word after it, its
/// clause goes on: two more words on the line, no punctuation mark after
/// the first, which is no conjunction (`Sie können dafür Zuschüsse`, not
/// `Sie können,` or `Sie haben wollen.`).
fn clause_goes_on(text: &str, end: usize) -> bool {
    let rest = text[end..].trim_start_matches(' ');
    let rest = rest.trim_start_matches(char::is_alphabetic);
    let line = rest.split('\n').next().unwrap_or_default();
    let mut words = line.split_whitespace();
    match (words.next(), words.next()) {
        (Some(first), Some(second)) => {
            line.starts_with(' ')
                && first.chars().all(char::is_alphanumeric)
                && !matches!(first, "und" | "oder" | "and" | "or")
                && second.starts_with(char::is_alphanumeric)
        }
        _ => false,
    }
}

/// Whether the starter ending at `end` is followed by a verb in the third
/// person singular whose clause goes on (see `singular_starters`), in a
/// clause that is no subordinate one before `prev_start`.
fn singular_verb_follows(lang: &Lang, text: &str, end: usize, prev_start: usize) -> bool {
    let Some(rest) = text[end..].strip_prefix(' ') else {
        return false;
    };
    let len = rest
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(rest.len());
    let verb = &rest[..len];
    if verb.chars().count() < 4
        || !verb.chars().all(char::is_lowercase)
        || !lang
            .singular_verb_endings
            .iter()
            .any(|e| verb.ends_with(e.as_str()))
        || lang.not_singular_verbs.contains(verb)
    {
        return false;
    }
    // the clause goes on with a word that is no auxiliary
    let Some(after) = rest[len..].strip_prefix(' ') else {
        return false;
    };
    let next = after
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default();
    let Some(cf) = &lang.clause_final else {
        return false;
    };
    if next.is_empty()
        || cf.auxiliaries.contains(next)
        || cf.final_auxiliaries.contains(next)
        || matches!(next, "und" | "oder")
    {
        return false;
    }
    // not in a subordinate clause (`dass der Arzt Sie berät und …`, `,
    // deren Mutter Sie kennt`)
    let clause = clause_before(text, prev_start);
    let after_comma = text[..prev_start - clause.len()].ends_with(',');
    !(clause
        .split_whitespace()
        .any(|w| cf.subordinators.contains(w))
        || (after_comma
            && clause
                .split_whitespace()
                .next()
                .is_some_and(|w| cf.relative_pronouns.contains(w))))
}

/// Whether `rest` opens with a blank, a capitalised word, a blank and a
/// word in small letters (` Gastgeberin wollte`).
fn noun_then_small(rest: &str) -> bool {
    let Some(rest) = rest.strip_prefix(' ') else {
        return false;
    };
    let mut chars = rest.chars();
    if !chars.next().is_some_and(char::is_uppercase) {
        return false;
    }
    let after = rest.trim_start_matches(char::is_alphabetic);
    after
        .strip_prefix(' ')
        .is_some_and(|w| w.starts_with(char::is_lowercase))
}

/// The word before the one starting at `start`, one space apart.
fn word_before(text: &str, start: usize) -> Option<&str> {
    let end = text[..start].strip_suffix(' ')?.len();
    let from = word_start(text, end);
    (from < end).then(|| &text[from..end])
}

/// Start of the hyphenated compound whose last part starts at `start`
/// (`time-` in `time-consuming`, `G7-` in `G7-Präsidentschaft`): parts of
/// letters and digits, joined by single hyphens. `start` itself when the
/// word stands alone.
fn compound_start(text: &str, start: usize) -> usize {
    let mut from = start;
    while let Some(before) = text[..from].strip_suffix('-') {
        let part = run_start(before, before.len(), char::is_alphanumeric);
        if part == before.len() {
            break;
        }
        from = part;
    }
    from
}

/// Whether the word before the one starting at `start` (one space
/// between them) begins with a capital: `Grimes` in `Martha Grimes`.
fn follows_capitalised_word(text: &str, start: usize) -> bool {
    let Some(end) = text[..start].strip_suffix(' ').map(str::len) else {
        return false;
    };
    text[word_start(text, end)..end]
        .chars()
        .next()
        .is_some_and(char::is_uppercase)
}

/// Whether the word at `start` follows a verb of naming (`named`), or
/// stands in a line in Title Case where the language skips those.
fn named_or_title(lang: &Lang, ctx: &Ctx<'_>, titles: &TitleLines, start: usize) -> bool {
    let text = ctx.text;
    (!lang.naming_words.is_empty() && named(text, ctx.lines, start, &lang.naming_words))
        || (lang.skip_title_case && titles.at(ctx, start))
}

/// Whether one of `naming` is among the three words before `start` on its
/// line (`nannten sie ihn` before `Der Coach`).
fn named(text: &str, lines: &LineIndex, start: usize, naming: &HashSet<String>) -> bool {
    let line_start = lines.line_start(start);
    text[line_start..start]
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .rev()
        .take(3)
        .any(|w| naming.contains(&w.to_lowercase()))
}

/// Whether a verb of naming (`naming`) closes the clause within three
/// words after `end`, the end of the starter (`den alle nur An nennen.`,
/// `eine glatte Sechs nennen!`): the starter is the name it gives.
fn named_after(text: &str, end: usize, naming: &HashSet<String>) -> bool {
    const CLOSE: &[char] = &[
        '.', ',', ';', ':', '!', '?', '“', '”', '"', '»', '«', '(', ')', '\n',
    ];
    // (word by word, three at most: a long line is not read to its end)
    let Some(rest) = text[end..].strip_prefix(' ') else {
        return false;
    };
    let mut words = rest.split(' ');
    for _ in 0..3 {
        let Some(word) = words.next() else {
            return false;
        };
        let Some(close) = word.find(CLOSE) else {
            continue;
        };
        return close > 0 && naming.contains(&word[..close].to_lowercase());
    }
    false
}

/// Whether a particle at `prev_start` may close the clause it stands in,
/// as one whose verb comes before it does (`brannte vollkommen aus`): not
/// as the clause's first word (`Nach Ich war neunzehn blieben`), nor in
/// a clause that puts its verb last, where the particle stays with the
/// verb and so is a preposition: one that a word of
/// `verb_final_openers` opens (`Wer Der Untertan direkt nach Das weiße
/// Band sehe`) or a relative pronoun after a comma (`, die vor vier
/// Jahren mit Das Haus am Kanal bekannt wurde`).
fn particle_may_close(lang: &Lang, text: &str, prev_start: usize) -> bool {
    let clause = clause_before(text, prev_start);
    let Some(first) = clause.split_whitespace().next() else {
        return false;
    };
    let first = first.to_lowercase();
    let after_comma = text[..prev_start - clause.len()].ends_with(',');
    !(lang.verb_final_openers.contains(&first)
        || (after_comma
            && lang
                .clause_final
                .as_ref()
                .is_some_and(|cf| cf.relative_pronouns.contains(&first))))
}

/// Whether within six words after `end` (the end of a starter) a word in
/// small letters closes the clause, right before a comma or a mark of a
/// sentence (`Die Blechtrommel zeigte,`): the verb of a clause that puts
/// it last. The words between are capitalised, or short ones in small
/// letters (`Der Himmel über Berlin zeigte.`); a longer one is a verb
/// that a main clause puts second (`als er Die Kinder lachten darüber.`:
/// a comparison, then a sentence).
fn verb_closes_clause(text: &str, end: usize) -> bool {
    let Some(rest) = text[end..].strip_prefix(' ') else {
        return false;
    };
    for word in rest.split(' ').take(6) {
        let Some(close) = word.find([',', '.', ';', '!', '?', ':']) else {
            if word.is_empty()
                || !word.chars().all(char::is_alphabetic)
                || (word.starts_with(char::is_lowercase) && word.chars().count() > 4)
            {
                return false;
            }
            continue;
        };
        let verb = &word[..close];
        return verb.chars().count() >= 3 && verb.chars().all(char::is_lowercase);
    }
    false
}

/// Whether the word after the starter, which ends at `end`, goes on as a
/// title does: a noun (capitalised) or an inflected adjective (`Das
/// fliegende Klassenzimmer`, `Der Zauberberg`); not a verb (`Das
/// bedeutet`).
fn title_goes_on(text: &str, end: usize) -> bool {
    let Some(rest) = text[end..].strip_prefix(' ') else {
        return false;
    };
    let word = &rest[..rest
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(rest.len())];
    word.starts_with(char::is_uppercase)
        || (word.chars().nth(3).is_some()
            && ["e", "er", "es", "em"].iter().any(|e| word.ends_with(e)))
}

/// Whether `prev`, the word before the starter at `prev_start`, is a name
/// in the genitive: capitalised, ending in a single `s`, after a
/// capitalised word that is no determiner (`Erich Kästners`, `Thomas
/// Manns`; a common noun in the genitive takes an article, `des Jahres`).
fn genitive_of_a_name(
    text: &str,
    prev_start: usize,
    prev: &str,
    determiners: &HashSet<String>,
) -> bool {
    prev.ends_with('s')
        && !prev.ends_with("ss")
        && prev.chars().nth(3).is_some()
        && word_before(text, prev_start).is_some_and(|w| {
            let lower = w.to_lowercase();
            if determiners.contains(&lower) || w.chars().nth(1).is_none() {
                return false;
            }
            if w.starts_with(char::is_uppercase) {
                return true;
            }
            // A surname alone after a word in small letters that is no
            // adjective (`zuletzt Dürrenmatts Die Physiker`, `und Brechts
            // Der gute Mensch`); not a plural in `-s` after its adjective
            // (`neue Handys`) or of a loanword (`Handys`, `Autos`).
            const NOT_NAME: &[&str] = &["ys", "os", "is", "as", "us"];
            const ADJECTIVE: &[&str] = &["e", "en", "er", "es", "em"];
            w.starts_with(char::is_lowercase)
                && !ADJECTIVE.iter().any(|e| lower.ends_with(e))
                && !NOT_NAME.iter().any(|e| prev.ends_with(e))
        })
}

/// Whether the starter and the word after it (the hit runs from the space
/// before the starter, `start`, to the first character of that word,
/// `end`) stand elsewhere in the document inside a sentence or in
/// quotation marks: then they are a title the document names, not a
/// sentence start (`zeigt Die Politiker-WG` beside `in der Sendung „Die
/// Politiker-WG“`).
fn written_inside_a_sentence(text: &str, start: usize, end: usize) -> bool {
    let from = start + 1;
    let rest = &text[end..];
    let word_end = rest
        .find(|c: char| {
            c.is_whitespace() || matches!(c, ',' | '.' | ';' | ':' | '!' | '?' | '“' | '”' | '"')
        })
        .map_or(text.len(), |i| end + i);
    let phrase = &text[from..word_end];
    if phrase.len() < 6 {
        return false;
    }
    let finder = memchr::memmem::Finder::new(phrase.as_bytes());
    finder.find_iter(text.as_bytes()).any(|at| {
        if at == from
            || text[at + phrase.len()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
        {
            return false;
        }
        let before = &text[..at];
        match before.chars().next_back() {
            Some('„' | '“' | '"' | '»' | '«' | '‚' | '‘') => true,
            Some(' ') => before
                .trim_end_matches(' ')
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == ','),
            _ => false,
        }
    })
}

/// Whether `word` (small letters), at `start`, is one of the language's
/// `attribution_verbs` closing the attribution of a quotation
/// ([`attribution`]): `,” Claverie said`, after which a sentence starts.
fn ends_attribution(lang: &Lang, text: &str, word: &str, start: usize) -> bool {
    lang.attribution_verbs.contains(word) && attribution(text, start)
}

/// Whether the words before `start` (one to three, after a space) follow
/// a quotation that ends with a comma, a question or an exclamation mark
/// (`,” Claverie said`, `?" she asked`): an attribution, which ends its
/// sentence with the verb at `start`.
fn attribution(text: &str, start: usize) -> bool {
    let from = start.saturating_sub(80);
    let from = (from..start)
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(start);
    let window = &text[from..start];
    let Some(quote) = window.rfind(['”', '"', '“', '«', '»']) else {
        return false;
    };
    let (before, after) = window.split_at(quote);
    let after = &after[after.chars().next().map_or(0, char::len_utf8)..];
    before.ends_with([',', '?', '!'])
        && after.starts_with(' ')
        && (1..=3).contains(&after.split_whitespace().count())
        && after
            .split_whitespace()
            .all(|w| w.chars().all(|c| c.is_alphabetic() || c == '.'))
}

/// Calls `f` with the position of each space in `bytes` that a capital
/// follows (ASCII, or the lead byte of Ä, Ö, Ü), testing eight bytes at a
/// time (SWAR): German text has a space every six bytes, and a loop or
/// memchr that stops at each cost several times more.
fn spaces_before_capitals(bytes: &[u8], f: impl FnMut(usize)) {
    spaces_before::<false>(bytes, f);
}

/// Whether `b` is a byte [`spaces_before`] finds after a space: an ASCII
/// capital or the lead byte 0xC3 (Ä, Ö, Ü, É …), with `WIDE` any lead
/// byte from 0xC3 on.
fn capital_lead<const WIDE: bool>(b: u8) -> bool {
    b.is_ascii_uppercase() || b == 0xC3 || (WIDE && b > 0xC3)
}

/// [`spaces_before_capitals`], or with `WIDE` the spaces before an ASCII
/// capital or the lead byte of any character from U+00C0 on (every
/// capital beyond ASCII: `Ł`, `Č`, Cyrillic `А`).
fn spaces_before<const WIDE: bool>(bytes: &[u8], mut f: impl FnMut(usize)) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // 0x80 in each byte of `v` that is zero, exactly (no carry crosses a byte)
    let zero = |v: u64| !(((v & LOW7) + LOW7) | v | LOW7);
    let load = |from: usize| {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[from..from + 8]);
        u64::from_le_bytes(word)
    };
    let mut at = 0;
    while at + 9 <= bytes.len() {
        let (this, next) = (load(at), load(at + 1));
        let low = next & LOW7;
        // A..Z: at least 0x41 and at most 0x5A, below 0x80
        let upper = (low + ONES * 0x3F) & !(low + ONES * 0x25) & !next & HIGH;
        // a lead byte of 0xC3 (Ä, Ö, Ü, É …), or with `WIDE` of 0xC3 or
        // more: the high bit set and at least 0x43 below it
        let lead = if WIDE {
            next & (low + ONES * 0x3D) & HIGH
        } else {
            zero(next ^ (ONES * 0xC3))
        };
        let mut mask = zero(this ^ (ONES * 0x20)) & (upper | lead);
        while mask != 0 {
            f(at + mask.trailing_zeros() as usize / 8);
            mask &= mask - 1;
        }
        at += 8;
    }
    for i in at..bytes.len().saturating_sub(1) {
        if bytes[i] == b' ' && capital_lead::<WIDE>(bytes[i + 1]) {
            f(i);
        }
    }
}

/// Whether `c` ends a clause: a line break, sentence or clause punctuation,
/// a quotation mark or a parenthesis.
fn ends_clause(c: char) -> bool {
    matches!(
        c,
        '\n' | '.' | '!' | '?' | ':' | ';' | ',' | '"' | '„' | '“' | '»' | '(' | ')'
    )
}

/// The text of the clause before `pos`: back to the last `ends_clause`.
fn clause_before(text: &str, pos: usize) -> &str {
    text[..pos].rsplit(ends_clause).next().unwrap_or_default()
}

/// Whether the word starting at `start` ends a noun phrase: one of
/// `determiners` (lower case) stands one or two words before it on its
/// line (`the past`, `the 75kb limit`).
fn noun_phrase_ends(
    text: &str,
    lines: &LineIndex,
    start: usize,
    determiners: &HashSet<String>,
) -> bool {
    let line_start = lines.line_start(start);
    let before = &text[line_start..start];
    before
        .split(' ')
        .rev()
        .skip(1)
        .take(2)
        .any(|w| determiners.contains(w))
}

thread_local! {
    /// How many searches [`title_run_elsewhere`] and [`phrase_recurs`]
    /// made in the document being read (a document is read on one thread;
    /// `run` starts the count).
    static TITLE_LOOKUPS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Takes one of the document's [`MAX_SMALL_CHECKS`] title searches, each
/// reading up to 100 KB (a long document of candidates does not read
/// itself again for each of them); `false` when all are spent.
fn title_lookup() -> bool {
    let used = TITLE_LOOKUPS.get();
    if used >= MAX_SMALL_CHECKS {
        return false;
    }
    TITLE_LOOKUPS.set(used + 1);
    true
}

/// Where a title search around `start..end` looks: 50 KB either side.
fn search_window(text: &str, start: usize, end: usize) -> Range<usize> {
    start.saturating_sub(50_000)..(end + 50_000).min(text.len())
}

/// Whether the capitalised word that ends at `end` closes a run of words
/// in Title Case (capitalised, or short ones in small letters between
/// them: `We Left the Lights`) that opens right after a title noun in
/// small letters (`album`, `debut`) on the same line: a title the next
/// word may end (`On`, `Once`).
fn ends_title_run(lang: &Lang, text: &str, end: usize) -> bool {
    const MAX_WORDS: usize = 8;
    let mut pos = end;
    let mut capitalised_before = false;
    for _ in 0..MAX_WORDS {
        let start = run_start(text, pos, |c| c.is_alphanumeric() || c == '’' || c == '\'');
        let word = &text[start..pos];
        let Some(first) = word.chars().next() else {
            return false;
        };
        if first.is_uppercase() {
            capitalised_before = true;
        } else if first.is_lowercase() {
            let lower = word.to_lowercase();
            if lang.title_nouns.contains(&lower) || lang.title_run_nouns.contains(&lower) {
                // (the run opens with a capitalised word)
                return capitalised_before && text[pos + 1..].starts_with(char::is_uppercase);
            }
            if word.chars().count() > 3 {
                return false;
            }
        } else {
            return false;
        }
        let Some(before) = text[..start].strip_suffix(' ') else {
            return false;
        };
        pos = before.len();
    }
    false
}

/// Whether the word after `end` (past one space) closes a run of three
/// capitalised words or more (`for It Was Always You to make you cry`)
/// that the document writes again as a whole, within 50 KB either side,
/// before a mark or the line's end: a title that the text names more than
/// once (`‘It Was Always You’ Review`), not two sentences.
fn title_run_elsewhere(text: &str, end: usize) -> bool {
    // The words of the run looked at (the starter and two before it: a
    // longer run may open with a sentence's first word, `But It Was
    // Always You has`).
    const MAX_WORDS: usize = 3;
    let Some(after) = text[end..].strip_prefix(' ') else {
        return false;
    };
    let starter_end = end
        + 1
        + after
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(after.len());
    // (a short word in small letters may stand between them, as titles
    // write them: `We Left the Lights On`)
    const MAX_SMALL: usize = 2;
    let mut start = end + 1;
    let mut words = 1;
    let mut small = 0;
    let mut at = start;
    while words < MAX_WORDS {
        let Some(before) = text[..at].strip_suffix(' ') else {
            break;
        };
        let word_start = run_start(before, before.len(), char::is_alphanumeric);
        let word = &before[word_start..];
        if word.starts_with(char::is_uppercase) {
            start = word_start;
            words += 1;
        } else if small < MAX_SMALL
            && word.starts_with(char::is_lowercase)
            && word.chars().count() <= 3
        {
            small += 1;
        } else {
            break;
        }
        at = word_start;
    }
    if words < MAX_WORDS || !title_lookup() {
        return false;
    }
    let bytes = text.as_bytes();
    let run = &bytes[start..starter_end];
    let Range {
        start: from,
        end: to,
    } = search_window(text, start, starter_end);
    // (where it stands as a whole: before a mark, a closing quote or the
    // line's end, `‘It Was Always You’`; a join that a page prints twice,
    // or two captions alike, go on with a word, `Miami Beach The 25-year-old`)
    memchr::memmem::find_iter(&bytes[from..to], run).any(|at| {
        let at = from + at;
        at != start
            && text[at + run.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric() && c != ' ')
    })
}

/// Whether the document writes the words around `end` (where a full stop
/// would go) elsewhere, within 50 KB either side, so that they name
/// something rather than meet by a join:
/// - the starter after `end` and the three words after it, after another
///   word in small letters (`stimmte jemand Wir sind die Könige vom Moor
///   an` beside `sangen noch immer Wir sind die Könige vom Moor`, a song:
///   a capitalised starter after such a word is a join or a title, and
///   the same sentence is seldom joined twice; after a capitalised word
///   it may be a template's text joined to each label, `Bibliothek An
///   dieser Stelle finden Sie` beside `Pressestelle An dieser Stelle`);
/// - a capitalised word before `end` and the starter, a pronoun (see
///   `pronouns`), before another continuation (`Liu He will appear`
///   beside `Liu He’s fourth novel`, a name; captions that go on alike
///   after `Miami Beach The` are two joins).
///
/// A paragraph that a page prints twice repeats its words before and
/// after alike, and proves nothing.
fn phrase_recurs(text: &str, end: usize, pronoun: impl Fn(&str) -> bool) -> bool {
    if !text[end..].starts_with(' ') {
        return false;
    }
    let start = end + 1;
    let prev_start = run_start(text, end, char::is_alphanumeric);
    let prev = &text[prev_start..end];
    if prev.is_empty() {
        return false;
    }
    // The starter and up to three words after it, one space apart.
    let mut words = 0;
    let mut pos = start;
    let mut phrase_end = start;
    let mut starter_end = start;
    while words < 4 {
        let rest = &text[pos..];
        let len = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        if len == 0 {
            break;
        }
        words += 1;
        phrase_end = pos + len;
        if words == 1 {
            starter_end = phrase_end;
        }
        if !text[phrase_end..].starts_with(' ') {
            break;
        }
        pos = phrase_end + 1;
    }
    let forward = words == 4;
    let backward = prev.starts_with(char::is_uppercase)
        && starter_end > start
        && pronoun(&text[start..starter_end]);
    if !(forward || backward) || !title_lookup() {
        return false;
    }
    let bytes = text.as_bytes();
    let Range {
        start: from,
        end: to,
    } = search_window(text, prev_start, phrase_end);
    let whole_after = |at: usize| {
        text[at..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric())
    };
    if forward {
        let phrase = &bytes[start..phrase_end];
        let found = memchr::memmem::find_iter(&bytes[from..to], phrase).any(|at| {
            let at = from + at;
            let Some(before) = text[..at].strip_suffix(' ') else {
                return false;
            };
            let word = &before[run_start(before, before.len(), char::is_alphanumeric)..];
            at != start
                && whole_after(at + phrase.len())
                && word.starts_with(char::is_lowercase)
                && word != prev
        });
        if found {
            return true;
        }
    }
    if backward {
        let pair = &bytes[prev_start..starter_end];
        let follow = |at: usize| text[at..].chars().take(12);
        return memchr::memmem::find_iter(&bytes[from..to], pair).any(|at| {
            let at = from + at;
            at != prev_start
                && text[..at]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
                && whole_after(at + pair.len())
                && !follow(at + pair.len()).eq(follow(starter_end))
        });
    }
    false
}

/// How many starters a document looks up with [`written_small_elsewhere`],
/// and how many words with [`surname_elsewhere`]: each lookup reads up
/// to 100 KB around the word.
const MAX_SMALL_CHECKS: usize = 64;

/// Whether the document writes the starter at `starter` in small letters
/// before the word that follows it here, within 50 KB either side (`the
/// GAA` beside `closed doors The GAA has`): then the starter is no part of
/// a name.
fn written_small_elsewhere(text: &str, starter: Range<usize>) -> bool {
    let bytes = text.as_bytes();
    let next = starter.end + 1;
    let len = bytes
        .get(next..)
        .unwrap_or_default()
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if len == 0 || !bytes[starter.clone()].is_ascii() {
        return false;
    }
    let mut needle = bytes[starter.start..next + len].to_ascii_lowercase();
    needle[starter.len() + 1..].copy_from_slice(&bytes[next..next + len]);
    let from = starter.start.saturating_sub(50_000);
    let to = (next + len + 50_000).min(bytes.len());
    let is_word = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b >= 0x80);
    memchr::memmem::find_iter(&bytes[from..to], &needle).any(|at| {
        let at = from + at;
        !is_word(at.checked_sub(1).and_then(|i| bytes.get(i)))
            && !is_word(bytes.get(at + needle.len()))
    })
}

/// Whether the document writes the word at `word` elsewhere, within 50
/// KB, right after a first name: a capitalised word of letters that
/// follows another word or a comma (`Stadtarchivar Reinhard
/// Gämlich.` beside `– Stadtarchivar Gämlich entdeckte`), or `before`,
/// the word in front of it here, wherever that stands (`sagt Hinrich
/// Carstens, der …` beside `. Hinrich Carstens hatte recht`: a full name
/// the text repeats). Then it is a surname, not an adverb of its shape
/// opening a sentence.
fn surname_elsewhere(text: &str, word: Range<usize>, before: &str) -> bool {
    let needle = &text[word.clone()];
    // (a match of a whole word of UTF-8 starts and ends on characters, so
    // the window may cut one)
    let from = word.start.saturating_sub(50_000);
    let to = (word.end + 50_000).min(text.len());
    memchr::memmem::find_iter(&text.as_bytes()[from..to], needle).any(|at| {
        let at = from + at;
        if at == word.start || text[at + needle.len()..].starts_with(char::is_alphanumeric) {
            return false;
        }
        let Some(first) = word_before(text, at) else {
            return false;
        };
        let first_start = at - 1 - first.len();
        if first == before {
            return true;
        }
        let mut chars = first.chars();
        chars.next().is_some_and(char::is_uppercase)
            && chars.all(char::is_lowercase)
            && first.len() >= 3
            && text[..first_start].strip_suffix(' ').is_some_and(|before| {
                before.ends_with(',')
                    || before
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_alphabetic())
            })
    })
}

/// The text of the clause after `pos`: up to the next `ends_clause`.
fn clause_after(text: &str) -> &str {
    text.split(ends_clause).next().unwrap_or_default()
}

/// The number of words in `text` (runs of non-blanks that start with a
/// letter: a bullet or a number is no word).
fn words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_alphabetic))
        .count()
}

/// Which lines of a document are in Title Case ([`title_case`]), judged
/// once per line: the passes ask for the line of each candidate, and on a
/// document of one long line judging it every time would be quadratic.
/// Each pass walks the text from left to right, so the last line judged
/// is remembered.
#[derive(Default)]
struct TitleLines(std::cell::Cell<Option<(usize, bool)>>);

impl TitleLines {
    /// Whether the line holding byte `pos` is in Title Case.
    fn at(&self, ctx: &Ctx<'_>, pos: usize) -> bool {
        let line = ctx.lines.line_of(pos);
        if let Some((last, title)) = self.0.get()
            && last == line
        {
            return title;
        }
        let title = title_case(&ctx.text[ctx.lines.content(ctx.text, line)]);
        self.0.set(Some((line, title)));
        title
    }
}

/// Whether most words of the line are capitalised (a Title Case headline).
fn title_case(line: &str) -> bool {
    let (mut words, mut capitalised) = (0usize, 0usize);
    for first in line.split_whitespace().filter_map(|w| w.chars().next()) {
        if first.is_alphabetic() {
            words += 1;
            capitalised += usize::from(first.is_uppercase());
        }
    }
    words >= 3 && capitalised * 10 >= words * 6
}

impl Check for SentenceJoin {
    fn fixes(&self) -> Option<Applicability> {
        Some(self.applicability)
    }

    fn patterns(&self) -> Vec<String> {
        let mut langs: Vec<_> = self.langs.iter().collect();
        langs.sort_by_key(|(code, _)| code.as_str());
        langs.into_iter().map(|(_, l)| l.pattern.clone()).collect()
    }

    fn run(&self, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        TITLE_LOOKUPS.set(0);
        if !self.rule.applies_to(ctx.lang) {
            return;
        }
        let Some(lang) = ctx.lang.and_then(|l| self.langs.get(l)) else {
            return;
        };
        let text = ctx.text;
        let first = out.len();
        let titles = TitleLines::default();
        // Plain matches, parsed by hand: capture groups would cost a second
        // regex engine on every hit.
        let Some(re) = lang.re.get_or_init(|| meta_regex(&lang.pattern).ok()) else {
            return;
        };
        // Where a match may start: a space before a capital and one of the
        // words the alternatives open with (or, when some alternative opens
        // otherwise, anywhere).
        // (The starters, `clause_final` and `small_words` read the same
        // spaces: scanned once.)
        let mut caps = Vec::new();
        if lang.firsts.is_some() || lang.clause_final.is_some() || lang.small_words.is_some() {
            spaces_before_capitals(text.as_bytes(), |at| caps.push(at));
        }
        let mut spaces = caps.iter().copied();
        // The next candidate may start at the space after this one's
        // starter: a starter can be the word before another (`vor dem
        // Aus Damit DJs`).
        let mut small_checks = 0;
        let mut at = 0;
        let candidates = std::iter::from_fn(|| {
            let whole = match &lang.firsts {
                Some(firsts) => spaces
                    .by_ref()
                    .filter(|&space| space >= at)
                    .find_map(|space| {
                        let word = &text[space + 1..];
                        let end = word
                            .find(|c: char| !c.is_alphabetic())
                            .unwrap_or(word.len());
                        if !firsts.contains(&word[..end]) {
                            return None;
                        }
                        re.search(&Input::new(text).range(space..).anchored(Anchored::Yes))
                    })?,
                None => re.search(&Input::new(text).range(at..))?,
            };
            let m = &text[whole.range()];
            at = whole.start() + 1 + m[1..].find(' ').unwrap_or(m.len() - 1);
            Some(whole)
        });
        for whole in candidates {
            let m = &text[whole.range()];
            let starter_len = m[1..]
                .find([',', ':', ' ', '\'', '’'])
                .unwrap_or(m.len() - 1);
            let starter = &text[whole.start() + 1..whole.start() + 1 + starter_len];
            let starter_range = whole.start() + 1..whole.start() + 1 + starter_len;
            let next_char = m.chars().next_back();
            // `However, the`, `Genauer: Vom`
            // (a label of two words too: `Photo credit: Jane Doe`)
            let comma = matches!(m.as_bytes().get(1 + starter_len), Some(b',' | b':'))
                || m[..m.len() - next_char.map_or(0, char::len_utf8)]
                    .trim_end()
                    .ends_with(':');
            let next_digit = next_char.is_some_and(|c| c.is_ascii_digit());
            if m.as_bytes().get(1 + starter_len) == Some(&b',')
                && lang.not_before_comma.contains(starter)
            {
                continue;
            }
            // (a title does not end before an article: `label SAVAGE X
            // FENTY In a new shot` is a join)
            if lang.title_enders.contains(starter)
                && !(text[starter_range.end..].starts_with(' ')
                    && lang
                        .determiners
                        .contains(&next_word(text, starter_range.end)))
                && ends_title_run(lang, text, whole.start())
            {
                continue;
            }
            // A label counts after a word in small letters that is no
            // article or adjective (`ein wichtiger Hinweis: Sie ist es`).
            if lang.labels.contains(starter) && !lang.starters.contains(starter) {
                let prev = word_before(text, whole.start() + 1).unwrap_or("");
                if !prev.chars().next().is_some_and(char::is_lowercase)
                    || after_determiner(
                        text,
                        whole.start() - prev.len(),
                        &prev.to_lowercase(),
                        &lang.determiners,
                        &lang.adjective_endings,
                    )
                {
                    continue;
                }
            }
            // The pronoun `I` is capitalised anywhere: `day However, I get`.
            // So is the polite `Du` or `Sie` (`Kosten Wenn Du die
            // Redaktion`), written with a capital inside a sentence, and
            // a weekday or a month (`for women On Tuesday, the owner`).
            let next_word_lowercase = next_char.is_some_and(char::is_lowercase)
                || (next_char == Some('I')
                    && !text[whole.end()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric))
                || (next_char.is_some_and(char::is_uppercase) && {
                    let rest = &text[whole.end() - next_char.map_or(0, char::len_utf8)..];
                    let len = rest
                        .find(|c: char| !c.is_alphabetic())
                        .unwrap_or(rest.len());
                    let word = &rest[..len];
                    rest[len..].starts_with([' ', ','])
                        && (lang.polite_pronouns.contains(word)
                            || lang.time_words.contains(word)
                            // (a month before a day or a year is a date,
                            // whatever month: `attention In June 2019 Dion`)
                            || (MONTHS.contains(&word)
                                && rest[len..]
                                    .strip_prefix(' ')
                                    .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))))
                });
            let prev_end = whole.start();
            let prev_start = word_start(text, prev_end);
            let prev = &text[prev_start..prev_end];
            // A compound joined by hyphens counts as one word, lower-case
            // (`time-consuming This`) or capitalised (`Offshore-Windparks
            // Die Zuschläge`); a capitalised one in a line of capitalised
            // words is a menu entry (`Europa-Bilder Noch mehr Europa`).
            let compound_start = compound_start(text, prev_start);
            if compound_start != prev_start
                && text[compound_start..]
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
                && titles.at(ctx, prev_start)
            {
                continue;
            }
            // The previous word must be a whole, lower-case word of two letters or more.
            let before = text[..compound_start].chars().next_back();
            let capitalised = text[compound_start..]
                .chars()
                .next()
                .is_some_and(char::is_uppercase);
            // An acronym counts as a capitalised word: `according to the CDC It`.
            let acronym = capitalised && prev.chars().all(char::is_uppercase);
            let lower_prev = prev.to_lowercase();
            // The polite `Sie` inside an indirect question, after the noun
            // phrase its question word asks for (`erklärt, welche
            // Unterlagen Sie brauchen`, `welche Unterlagen und Formulare
            // Sie brauchen`): the clause has not reached its verb, so no
            // sentence ends before `Sie`.
            if capitalised
                && lang.polite_pronouns.contains(starter)
                && clause_before(text, prev_start)
                    .split_whitespace()
                    .rev()
                    .take(6)
                    .any(|w| {
                        w.starts_with(char::is_lowercase)
                            && lang
                                .question_words
                                .iter()
                                .any(|q| q.to_lowercase() == w.to_lowercase())
                    })
            {
                continue;
            }
            // A noun that names a title or a place (`Buch Der Wille`,
            // `Straße An der Wuhlheide`): a title or a name goes on.
            let noun_of = |nouns: &[String]| {
                nouns.iter().any(|n| {
                    *n == lower_prev
                        || (lang.compound_title_nouns && lower_prev.ends_with(n.as_str()))
                })
            };
            let title_noun = capitalised && noun_of(&lang.title_nouns);
            // A work's title opens with any word (`Roman Wir hätten bleiben
            // sollen`, `drama We Shall Not Sleep`).
            if capitalised && noun_of(&lang.work_nouns) {
                continue;
            }
            // A title in sentence case goes on in lower case (`Buch Über
            // die Liebe`); where titles are in Title Case (`next_lowercase`),
            // a lower-case word ends it (`Art Project The learners`).
            // `Meditation Sie hilft uns`: a pronoun of `singular_starters`
            // before a verb in the third person singular, after a noun
            // inside a sentence (after a verb `Sie` is the polite subject
            // or an object: `Sind Sie damit`, `Infos bekommen Sie
            // demnächst`, `Es grüßt Sie herzlichst`)
            let singular = lang.singular_starters.contains(starter)
                && capitalised
                && text[..compound_start]
                    .strip_suffix(' ')
                    .and_then(|t| t.chars().next_back())
                    .is_some_and(char::is_alphanumeric)
                && singular_verb_follows(lang, text, starter_range.end, prev_start);
            let strong_anyway = singular
                || lang.after_capitalised.contains(starter)
                || (lang.after_capitalised_before_lowercase.contains(starter)
                    && next_word_lowercase
                    && (lang.next_lowercase || !title_noun));
            // An article after a capitalised word and before another
            // (`Lawinenbulletins Die Woche`) starts a sentence. After two
            // capitalised words (`Martha Grimes Die Frau im Pelzmantel`) or
            // a title noun, a title or a name goes on.
            // A name opened by an adjective (`der Europäischen Union Der
            // Grundsatz`) is whole.
            // A person's name, not in the genitive, before an article, a
            // noun and a word in small letters is whole (`allen voran
            // Dorothea Wierer Die Gastgeberin wollte`): a title goes on
            // after its author's name in the genitive (`Stephen Kings Die
            // Arena`).
            // (asked only where it matters: judging the line is dear)
            let name_before = || {
                !prev.ends_with('s')
                    && lang.after_capitalised_any.contains(starter)
                    && noun_then_small(&text[starter_range.end..])
                    && !titles.at(ctx, prev_start)
            };
            let title_before = capitalised
                && (title_noun
                    || (follows_capitalised_word(text, compound_start)
                        && !name_before()
                        && !word_before(text, compound_start).is_some_and(|w| {
                            let w = w.to_lowercase();
                            lang.name_adjective_endings
                                .iter()
                                .any(|e| w.ends_with(e.as_str()))
                        })));
            let article =
                capitalised && !title_before && lang.after_capitalised_any.contains(starter);
            // A preposition before a number (`im Schienengüterverkehr Mit
            // 458.000 TEU`), unless a title goes on (`The Next Generation In
            // 40 Hours`, `Artikel Die 5. Welle`).
            let before_number = capitalised
                && !title_before
                && next_digit
                && lang.after_capitalised_before_lowercase.contains(starter);
            // After a weekday (`learned Tuesday The Hyogo police`): it
            // ends a sentence, and no name goes on from it.
            let after_time = capitalised
                && lang.time_words.contains(prev)
                && (lang.after_capitalised.contains(starter)
                    || lang.after_capitalised_before_lowercase.contains(starter));
            let strong = strong_anyway || article || before_number || after_time;
            // A particle ends a clause whose verb stands before it (`brannte
            // vollkommen aus Die Kinder`); right after a line's first word
            // it is a preposition (`Claudia bei Die Trendfarben`, a list of
            // comments). A verb of saying ends the attribution after a
            // quotation (`,” Claverie said Such support`).
            let function_word = lang.not_after.contains(&lower_prev)
                && !(lang.particles.contains(&lower_prev)
                    && (lang.after_capitalised.contains(starter)
                        || (lang.after_capitalised_any.contains(starter) && {
                            // (a clause with a word in small letters:
                            // `Lisa Abrams bei In Gedenken an`, a list of
                            // comments, names its author)
                            let clause = clause_before(text, prev_start);
                            words(clause) >= 2
                                && clause
                                    .split_whitespace()
                                    .any(|w| w.starts_with(char::is_lowercase))
                        }))
                    && particle_may_close(lang, text, prev_start))
                && !ends_attribution(lang, text, &lower_prev, prev_start);
            if prev.chars().count() < 2
                || !(acronym || prev.chars().skip(1).all(char::is_lowercase))
                || (capitalised && !strong)
                || (!capitalised && !prev.chars().next().is_some_and(char::is_lowercase))
                || before.is_some_and(|c| {
                    c.is_alphanumeric() || c == '-' || c == '.' || c == '@' || c == '/'
                })
                || function_word
                // `her solo project For protection, with love`: a title;
                // not before a conjunction that hardly opens one and a
                // word in small letters (`and campaign But what happened`)
                || (!capitalised
                    && lang.title_nouns.contains(&lower_prev)
                    && !(lang.before_capitalised.contains(starter) && next_word_lowercase))
            {
                continue;
            }
            // `However, the` and `However, I` alike: a comma marks the start.
            // `under the 75kb limit The AMP validator`: after a noun that
            // ends a phrase with its article, a name cannot go on.
            // `behind closed doors The GAA has`: a document that writes
            // `the GAA` elsewhere does not name `The GAA`.
            // `the clean economy In 1978, the`: a preposition or a
            // conjunction before a number and a comma opens a sentence.
            let number_comma = next_digit
                && !capitalised
                && lang.after_capitalised_before_lowercase.contains(starter)
                && text[starter_range.end..]
                    .strip_prefix(' ')
                    .map(|rest| rest.trim_start_matches(|c: char| c.is_ascii_digit()))
                    .is_some_and(|rest| rest.starts_with(','));
            // (`doing now In May 2019, for instance`: before a month and a
            // comma, maybe a day or a year between, as before a number)
            let month_comma = !capitalised
                && lang.after_capitalised_before_lowercase.contains(starter)
                && text[starter_range.end..]
                    .strip_prefix(' ')
                    .and_then(|rest| {
                        MONTHS
                            .iter()
                            .find_map(|m| rest.strip_prefix(m))
                            .filter(|r| r.starts_with([' ', ',']))
                    })
                    .is_some_and(|r| {
                        r.find(',').is_some_and(|c| {
                            c <= 12 && r[..c].chars().all(|ch| ch == ' ' || ch.is_ascii_digit())
                        })
                    });
            if lang.next_lowercase
                && !next_word_lowercase
                && !comma
                && !after_time
                && !number_comma
                && !month_comma
                && (capitalised
                    || !(lang.before_capitalised.contains(starter)
                        || (lang.after_noun_phrase.contains(starter)
                            && (noun_phrase_ends(
                                text,
                                ctx.lines,
                                compound_start,
                                &lang.determiners,
                            ) || (small_checks < MAX_SMALL_CHECKS && {
                                small_checks += 1;
                                written_small_elsewhere(text, starter_range.clone())
                            })))))
            {
                continue;
            }
            // `das verschlossene Ich und die Liebe`: a noun in a phrase.
            // Only the options that look at the next word read it (an
            // empty word is in no list and costs no allocation).
            let conditional = lang.starters_before.get(starter);
            let next = if lang.not_before.is_empty()
                && !lang.noun_starters.contains(starter)
                && conditional.is_none()
            {
                String::new()
            } else {
                next_word(text, starter_range.end)
            };
            if lang.not_before.contains(&next)
                || (!singular
                    && conditional.is_some_and(|w| {
                        !(w.contains(&next)
                            || (article
                                && lang
                                    .after_capitalised_before
                                    .get(starter)
                                    .is_some_and(|w| w.contains(&next)))
                            || (lang
                                .starters_before_clause
                                .get(starter)
                                .is_some_and(|w| w.contains(&next))
                                && !lang
                                    .clause_final
                                    .as_ref()
                                    .is_some_and(|cf| cf.auxiliaries.contains(&lower_prev))
                                && clause_goes_on(text, starter_range.end)))
                            || (capitalised && !article)
                            || lang.not_after_conditional.contains(&lower_prev)
                    }))
            {
                continue;
            }
            // `mein wahres Ich`: a noun after its article or possessive.
            if lang.noun_starters.contains(starter)
                && (lang.noun_followers.contains(&next)
                    || after_determiner(
                        text,
                        compound_start,
                        &lower_prev,
                        &lang.determiners,
                        &["e", "en", "es", "em", "er"],
                    ))
            {
                continue;
            }
            // `vice-premier Liu He, who`: a pronoun closing a name.
            let after_starter = text[starter_range.end..].chars().next();
            if capitalised
                && lang.pronouns.contains(starter)
                && after_starter.is_some_and(|c| matches!(c, ',' | '.' | ';' | ':' | ')'))
            {
                continue;
            }
            // `Kernfragen seien Wie geht es weiter`: a question as complement.
            if lang.question_words.contains(starter) && lang.complement_verbs.contains(&lower_prev)
            {
                continue;
            }
            // `…geschlagen haben, zeigt Die Politiker-WG`: the verb after a
            // fronted clause, and its subject a name. (`…, gefälscht Auch
            // andere` goes on in small letters: a join.)
            let name_follows = next_char.is_some_and(char::is_uppercase);
            if name_follows && text[..compound_start].ends_with(", ") {
                continue;
            }
            if !lang.naming_words.is_empty()
                && (named(text, ctx.lines, prev_start, &lang.naming_words)
                    || (lang.naming_verb_final
                        && named_after(text, starter_range.end, &lang.naming_words)))
            {
                continue;
            }
            if !capitalised
                && lang.subject_pronouns.contains(&lower_prev)
                && word_before(text, prev_start)
                    .is_some_and(|w| lang.verb_final_openers.contains(&w.to_lowercase()))
                && verb_closes_clause(text, starter_range.end)
            {
                continue;
            }
            if lang.genitive_title_starters.contains(starter)
                && capitalised
                && genitive_of_a_name(text, prev_start, prev, &lang.determiners)
                && title_goes_on(text, starter_range.end)
            {
                continue;
            }
            let rest = &text[starter_range.start..];
            let is_name = lang.names.iter().any(|n| {
                rest.starts_with(n.as_str())
                    && !rest[n.len()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric)
            });
            if is_name
                || (name_follows && written_inside_a_sentence(text, whole.start(), whole.end()))
            {
                continue;
            }
            if lang.skip_title_case && titles.at(ctx, prev_start) {
                continue;
            }
            self.report(ctx, prev_start..starter_range.end, prev_end, out);
        }
        if let Some((pattern, re)) = &lang.verb_first
            && let Some(re) = re.get_or_init(|| regex(pattern).ok())
        {
            self.verb_first(lang, re, ctx, out);
        }
        if let Some(cf) = &lang.clause_final {
            self.clause_final(lang, cf, &caps, ctx, &titles, out);
        }
        // the spaces before any capital, for the shapes
        let mut spaces = Vec::new();
        if !lang.shapes.is_empty() {
            spaces_before::<true>(text.as_bytes(), |at| spaces.push(at));
        }
        for group in &lang.shapes {
            self.shaped(lang, group, &spaces, ctx, &titles, out);
        }
        if let Some(sw) = &lang.small_words {
            self.small_word(lang, sw, &caps, ctx, &titles, out);
        }
        if !lang.closing_phrases.is_empty() {
            self.after_closing_phrase(lang, &caps, ctx, out);
        }
        drop_programme_lines(text, ctx.lines, out, first);
    }
}

/// Leaves out the findings after a name alone at the start of a line
/// (capitalised words: `Eileen Jones On how parkrun has changed lives.
/// 2pm`) when three lines or more of the document have one with the same
/// word after the name: the entries of a programme or a list (a speaker
/// and a topic), not headings glued to their paragraphs.
fn drop_programme_lines(text: &str, lines: &LineIndex, out: &mut Vec<Diagnostic>, first: usize) {
    if out.len() < first + 3 {
        return;
    }
    let key = |d: &Diagnostic| -> Option<String> {
        let line_start = lines.full(lines.line_of(d.span.start)).start;
        let head = text[line_start..d.span.end]
            .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '*' | '•' | '–'));
        // (a name of four words at most and the word after it: six words
        // or more are no such line, and a long line is not read whole)
        let words: Vec<&str> = head.split_whitespace().take(6).collect();
        let (starter, name) = words.split_last()?;
        (!name.is_empty()
            && name.len() <= 4
            && name.iter().all(|w| w.starts_with(char::is_uppercase)))
        .then(|| (*starter).to_string())
    };
    let keys: Vec<Option<String>> = out[first..].iter().map(key).collect();
    let mut counts: HashMap<&str, usize> = HashMap::default();
    for k in keys.iter().flatten() {
        *counts.entry(k.as_str()).or_default() += 1;
    }
    if counts.values().all(|&n| n < 3) {
        return;
    }
    let mut i = 0;
    out.retain(|_| {
        let keep = i < first
            || keys[i - first]
                .as_deref()
                .is_none_or(|k| counts.get(k).is_none_or(|&n| n < 3));
        i += 1;
        keep
    });
}

impl SentenceJoin {
    /// The joins after a phrase of `closing_phrases`: `zur Verfügung
    /// Detailrecherchen sind`. The capitalised word after it is a whole
    /// word that a word in small letters follows, or a starter; starters
    /// after a lower-case word are the main search's.
    fn after_closing_phrase(
        &self,
        lang: &Lang,
        caps: &[usize],
        ctx: &Ctx<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        let text = ctx.text;
        for &at in caps {
            let Some(last) = word_before(text, at + 1) else {
                continue;
            };
            let Some(phrases) = lang.closing_phrases.get(last) else {
                continue;
            };
            let before = &text[..at];
            if !phrases.iter().any(|p| {
                before.ends_with(p.as_str())
                    && before[..before.len() - p.len()]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !c.is_alphanumeric() && c != '-')
            }) {
                continue;
            }
            let word_start = at + 1;
            let rest = &text[word_start..];
            let len = rest
                .find(|c: char| !c.is_alphabetic())
                .unwrap_or(rest.len());
            let word = &rest[..len];
            // (not a name in the genitive: `das im Mittelpunkt Europas
            // liegt`)
            if word.chars().nth(1).is_none_or(|c| !c.is_lowercase()) || word.ends_with('s') {
                continue;
            }
            let after = &rest[len..];
            let goes_on = after
                .strip_prefix(' ')
                .and_then(|r| r.chars().next())
                .is_some_and(char::is_lowercase);
            // (a starter after a word in small letters: the main search's)
            let starter = lang.starters.contains(word);
            if !(goes_on || starter) || (starter && last.starts_with(char::is_lowercase)) {
                continue;
            }
            let prev_start = at - last.len();
            self.report(ctx, prev_start..word_start + len, at, out);
        }
    }

    /// A finding on `span` whose fix ends the sentence at `end`, unless
    /// what would end there is a quantity, no sentence (`1 tsp Baking
    /// soda`, `1 1/2 cups Mashed bananas`: a list of ingredients).
    fn report(&self, ctx: &Ctx<'_>, span: Range<usize>, end: usize, out: &mut Vec<Diagnostic>) {
        if quantity_before(ctx.text, ctx.lines, end)
            || in_quoted_title(ctx.text, end)
            || title_run_elsewhere(ctx.text, end)
            || phrase_recurs(ctx.text, end, |starter| {
                ctx.lang
                    .and_then(|l| self.langs.get(l))
                    .is_some_and(|lang| lang.pronouns.contains(starter))
            })
        {
            return;
        }
        let mut d = self.rule.finding(ctx.text, ctx.lines, span, None);
        d.fix = Some(Fix::new(self.applicability, vec![Edit::insert(end, ".")]));
        out.push(d);
    }

    /// The joins before a capitalised word of a shape (`shapes`): `on
    /// top instead Removing the closet doors`. The word before it must be
    /// a whole word in small letters that can end a sentence, outside a
    /// line in Title Case.
    fn shaped(
        &self,
        lang: &Lang,
        group: &ShapeGroup,
        spaces: &[usize],
        ctx: &Ctx<'_>,
        titles: &TitleLines,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(re) = group.re.get_or_init(|| meta_regex(&group.pattern).ok()) else {
            return;
        };
        let shapes = &group.shapes;
        let text = ctx.text;
        // [`surname_elsewhere`] reads up to 100 KB: a bounded number of
        // times per document.
        let mut lookups = 0;
        // The pattern's matches, in order, not overlapping: each starts at
        // a space before a capital (`spaces`), and its word's small letters
        // end in one of the shapes' endings; only there does it run,
        // anchored.
        let mut last_end = 0;
        let matches = spaces.iter().filter_map(|&space| {
            if space < last_end {
                return None;
            }
            let word = &text[space + 1..];
            let mut chars = word.char_indices();
            chars.next()?;
            let run_end = chars
                .find(|(_, c)| !c.is_lowercase())
                .map_or(word.len(), |(i, _)| i);
            if !shapes
                .iter()
                .any(|s| word[..run_end].ends_with(s.ending.as_str()))
            {
                return None;
            }
            let m = re.search(&Input::new(text).range(space..).anchored(Anchored::Yes))?;
            last_end = m.end();
            Some(m)
        });
        for m in matches {
            let start = m.start() + 1;
            let end = start + text[start..].find([' ', ',']).unwrap_or(0);
            let word = &text[start..end];
            let lower = word.to_lowercase();
            // the shape of the longest ending the word has
            let Some(shape) = shapes
                .iter()
                .filter(|s| lower.ends_with(s.ending.as_str()))
                .max_by_key(|s| s.ending.len())
            else {
                continue;
            };
            // the listed ones are the main search's
            if lang.starters.contains(word)
                || word.chars().count() < shape.min_letters
                || shape
                    .not_endings
                    .iter()
                    .any(|e| lower.ends_with(e.as_str()))
            {
                continue;
            }
            let Some(prev) = word_before(text, start) else {
                continue;
            };
            let prev_start = m.start() - prev.len();
            let lower_prev = prev.to_lowercase();
            let mut rest = prev.chars();
            let noun = shape.after_nouns
                && rest.next().is_some_and(char::is_uppercase)
                && rest.all(char::is_lowercase);
            // (a first name after a preposition is no noun: `das Team von
            // Frank Carstens`)
            let bare = |w: &str| {
                lang.clause_final
                    .as_ref()
                    .is_some_and(|cf| cf.prepositions.contains(w))
            };
            if noun
                && (follows_capitalised_word(text, prev_start)
                    || lang
                        .title_nouns
                        .iter()
                        .any(|n| lower_prev.ends_with(n.as_str()))
                    || word_before(text, prev_start).is_some_and(bare)
                    || titles.at(ctx, prev_start))
            {
                continue;
            }
            if prev.chars().count() < 2
                || !(noun || prev.chars().all(char::is_lowercase))
                || !text[..prev_start]
                    .chars()
                    .next_back()
                    .is_none_or(char::is_whitespace)
                || lang.not_after.contains(&lower_prev)
                || lang.title_nouns.contains(&lower_prev)
                || named_or_title(lang, ctx, titles, prev_start)
                || (lookups < MAX_SMALL_CHECKS && {
                    lookups += 1;
                    surname_elsewhere(text, start..end, prev)
                })
            {
                continue;
            }
            self.report(ctx, prev_start..end, m.start(), out);
        }
    }

    /// The joins before a capitalised word of the lexicon (`small_words`):
    /// `That's a horrible thing to say Life is a precious thing`. The word
    /// before must be a whole word in small letters that can end a
    /// sentence, and no capitalised word but an acronym may follow within
    /// three words (`Read more Letters to the Editor` is a title). A word the
    /// document capitalises twice after a word is a name or a term there
    /// (`use Illusion spells`, `Dinosaur Eggs … not Eggs`).
    /// `caps`: the spaces before a capital ([`spaces_before_capitals`]).
    fn small_word(
        &self,
        lang: &Lang,
        sw: &SmallWords,
        caps: &[usize],
        ctx: &Ctx<'_>,
        titles: &TitleLines,
        out: &mut Vec<Diagnostic>,
    ) {
        let text = ctx.text;
        let set = sw.set();
        // Every capitalised word of the lexicon after a letter, and how
        // often the document writes it inside a sentence; the candidates
        // follow a small letter.
        let mut hits: Vec<(usize, usize)> = Vec::new();
        let mut seen: HashMap<&str, u32> = HashMap::default();
        // The lexicon is in ASCII: a capital, then small letters.
        let bytes = text.as_bytes();
        let mut lower = [0u8; 32];
        for &at in caps {
            let start = at + 1;
            let len = 1 + bytes[start + 1..]
                .iter()
                .take_while(|b| b.is_ascii_lowercase())
                .count();
            let end = start + len;
            if len < 2
                || len > lower.len()
                || !bytes[start].is_ascii_uppercase()
                || text[end..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            let before = &text[..at];
            let comma = before.ends_with(',');
            let Some(letter) = before
                .strip_suffix(',')
                .unwrap_or(before)
                .chars()
                .next_back()
            else {
                continue;
            };
            if !letter.is_alphabetic() {
                continue;
            }
            lower[..len].copy_from_slice(&bytes[start..end]);
            lower[0] = lower[0].to_ascii_lowercase();
            if !std::str::from_utf8(&lower[..len]).is_ok_and(|w| set.contains(w)) {
                continue;
            }
            // written so after a small letter, or ending a run of
            // capitalised words (`Dinosaur Eggs are`), not inside one
            // (`World Health Organization`)
            let mut after = text[end..].chars();
            if letter.is_lowercase()
                || (after.next() == Some(' ') && after.next().is_some_and(char::is_lowercase))
            {
                *seen.entry(&text[start..end]).or_default() += 1;
            }
            if !comma && letter.is_lowercase() {
                hits.push((start, end));
            }
        }
        for (start, end) in hits {
            let word = &text[start..end];
            if seen.get(word).is_some_and(|&n| n > 1) || lang.starters.contains(word) {
                continue;
            }
            // a lower-case word or a comma after it, and no capitalised
            // word (but `I`) within three words
            let after = &text[end..];
            let mut next = after.chars();
            if !(next.next() == Some(',')
                || (after.starts_with(' ') && next.next().is_some_and(char::is_lowercase)))
            {
                continue;
            }
            let title = after
                .split_whitespace()
                .take(3)
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
                .any(|w| {
                    // (an acronym is no title: `Write a good API`)
                    w != "I"
                        && w.chars().next().is_some_and(char::is_uppercase)
                        && !(w.len() >= 2 && w.chars().all(|c| c.is_ascii_uppercase()))
                });
            if title {
                continue;
            }
            let Some(prev) = word_before(text, start) else {
                continue;
            };
            let prev_start = start - 1 - prev.len();
            // (or a weekday or a month after a word in small letters
            // that makes it a time: `last February School administrators`,
            // not `$20m Sunday Service` or `boys Sunday School class`)
            let time = lang.time_words.contains(prev)
                && word_before(text, prev_start).is_some_and(|w| {
                    let from = prev_start - 1 - w.len();
                    w.len() >= 2
                        && w.chars().all(char::is_lowercase)
                        && (lang.time_openers.is_empty()
                            || lang.time_openers.contains(w)
                            || w.ends_with("ed")
                            || lang.attribution_verbs.contains(w))
                        && text[..from]
                            .chars()
                            .next_back()
                            .is_none_or(char::is_whitespace)
                });
            if prev.chars().count() < 2
                || !(prev.chars().all(char::is_lowercase) || time)
                || !text[..prev_start]
                    .chars()
                    .next_back()
                    .is_none_or(char::is_whitespace)
                // `,” he said Half the aid`: a verb of saying ends the
                // attribution after a quotation
                || (lang.not_after.contains(prev)
                    && !ends_attribution(lang, text, prev, prev_start))
                || lang.determiners.contains(prev)
                || lang.title_nouns.iter().any(|n| n == prev)
                || sw.not_after.contains(prev)
                || (!time
                    && sw
                        .not_after_endings
                        .iter()
                        .any(|e| prev.ends_with(e.as_str())))
                || named_or_title(lang, ctx, titles, prev_start)
            {
                continue;
            }
            if !lang.attribution_verbs.contains(prev)
                && word_before(text, prev_start)
                    .is_some_and(|w| sw.object_openers.iter().any(|o| w.eq_ignore_ascii_case(o)))
            {
                continue;
            }
            self.report(ctx, prev_start..end, start - 1, out);
        }
    }

    /// The joins before a question or a command (`verb_first_pronouns`):
    /// `nach vorne beugt Probieren Sie`. The word before the verb must end
    /// a clause, and must not be the second word of its sentence, where
    /// it is the verb and the capitalised word its subject (`Dort
    /// erwarten Experten Sie`).
    fn verb_first(&self, lang: &Lang, re: &Regex, ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
        let text = ctx.text;
        for m in re.find_iter(text) {
            // A capitalised word, then small letters only, one space before
            // the pronoun and one after the word before it.
            let end = m.start();
            let start = word_start(text, end);
            let verb = &text[start..end];
            let mut chars = verb.chars();
            if !chars.next().is_some_and(char::is_uppercase)
                || !chars.all(char::is_lowercase)
                || !text[..start].ends_with(' ')
            {
                continue;
            }
            if !(lang.verb_first_words.contains(verb)
                || lang.verb_endings.iter().any(|e| verb.ends_with(e.as_str())))
                || verb.chars().count() < 4
                || lang.starters.contains(verb)
            {
                continue;
            }
            let prev_end = start - 1;
            let prev_start = word_start(text, prev_end);
            let prev = &text[prev_start..prev_end];
            if prev.chars().count() < 2
                || !prev.chars().all(char::is_lowercase)
                || lang.not_after.contains(prev)
                || lang.not_after_conditional.contains(prev)
                || lang
                    .adjective_endings
                    .iter()
                    .any(|e| prev.ends_with(e.as_str()))
                // (a determiner: `zu welchen Zeiten wir`; an inflected
                // adjective of a listed stem: `und ähnlichen Technologien
                // Sie zustimmen`)
                || lang
                    .clause_final
                    .as_ref()
                    .is_some_and(|cf| cf.determiner(prev) || cf.stem_adjective(prev))
            {
                continue;
            }
            // The word before must be on the line and not open a sentence;
            // nor may a comma stand before it (`Wenn …, bieten Banken Sie`).
            let Some(before) = text[..prev_start].strip_suffix(' ') else {
                continue;
            };
            // A number or its unit is a word here too (`auf 11,2% kamen
            // Schaut man`, `11,2 % kamen`).
            let mut first = word_start(before, before.len());
            if first == before.len() {
                first = before.rfind(' ').map_or(0, |i| i + 1);
                let token = &before[first..];
                if !(token.starts_with(|c: char| c.is_ascii_digit())
                    || ["%", "€", "$", "£"].contains(&token))
                {
                    continue;
                }
            }
            let opens = text[..first]
                .trim_end_matches(' ')
                .chars()
                .next_back()
                .is_none_or(ends_clause);
            if opens {
                continue;
            }
            let pronoun = text[end + 1..m.end() - 1].trim_end_matches([' ', ',', '.', '!', '?']);
            if lang.object_pronouns.iter().any(|p| p == pronoun)
                && words(clause_before(text, prev_start)) < 3
            {
                continue;
            }
            self.report(ctx, prev_start..end, prev_end, out);
        }
    }

    /// The joins after a verb at the end of its clause (`clause_final`):
    /// `…, sodass es an der Grenze arbeiten kann Teamchef Vasseur sagte`,
    /// `Die Feuerwehr konnte die Menschen aus dem Haus retten Ermittler
    /// untersuchten`.
    /// `caps`: the spaces before a capital ([`spaces_before_capitals`]).
    fn clause_final(
        &self,
        lang: &Lang,
        cf: &ClauseFinal,
        caps: &[usize],
        ctx: &Ctx<'_>,
        titles: &TitleLines,
        out: &mut Vec<Diagnostic>,
    ) {
        let text = ctx.text;
        let bytes = text.as_bytes();
        // A space between a small letter that can end a verb and a capital
        // (ASCII or Ä, Ö, Ü): scanned by hand, as a regex would walk every
        // byte of German text, where such spaces are everywhere.
        for &verb_end in caps {
            let Some(&[a, b]) = bytes.get(verb_end.saturating_sub(2)..verb_end) else {
                continue;
            };
            let pair = usize::from(u16::from_be_bytes([a, b]));
            if cf.tails[pair / 64] & (1 << (pair % 64)) == 0
                || (bytes[verb_end + 1] == 0xC3
                    && !matches!(bytes.get(verb_end + 2), Some(0x84 | 0x96 | 0x9C)))
            {
                continue;
            }
            // the verb: a whole lower-case word after a space
            let verb_start = word_start(text, verb_end);
            let verb = &text[verb_start..verb_end];
            // (a determiner is no verb: `zu welchen Zeiten wir`)
            if verb.chars().count() < 3
                || !verb.chars().all(char::is_lowercase)
                || !text[..verb_start].ends_with(' ')
                || cf.determiner(verb)
            {
                continue;
            }
            // the word before: letters, after a blank or the start of a
            // clause
            let Some(prev) = word_before(text, verb_start) else {
                continue;
            };
            let prev_start = verb_start - 1 - prev.len();
            // (or the last part of a compound: `Antigen-Schnelltest`)
            if !text[..prev_start]
                .chars()
                .next_back()
                .is_none_or(|c| c.is_whitespace() || c == '-' || ends_clause(c))
            {
                continue;
            }
            // Most candidates are an article or a preposition after a
            // lower-case word (`auf den Tisch`): only an auxiliary, or one
            // that ends a verb group, goes on after one.
            let auxiliary = cf.auxiliaries.contains(verb);
            let noun_before = prev.chars().next().is_some_and(char::is_uppercase);
            // `zu` and an infinitive end an infinitive clause (`um die
            // Räume zu wärmen Wärmepumpen sind …`).
            let infinitive = !cf.infinitive_particle.is_empty() && prev == cf.infinitive_particle;
            let closing = cf.closing_participles.contains(verb);
            // A participle with the participle prefix (`gestellt`), and
            // a verb that keeps its separable prefix (`vorlegen`), which
            // ends its clause with no auxiliary before it; before one of
            // `pronouns`, whatever came before it (`gut geeignet Sie`).
            let participle = cf.participle(verb);
            let pronoun_next = participle
                && cf.pronouns.iter().any(|p| {
                    text[verb_end + 1..]
                        .strip_prefix(p.as_str())
                        .is_some_and(|rest| rest.starts_with(' '))
                });
            let unsplit = cf.unsplit(verb) && !cf.not_verbs.contains(verb);
            // A capitalised word and a finite verb that a main clause puts
            // second, after a verb that can only end a clause: after a
            // noun, or a participle, a verb with its prefix or a listed
            // one after any word (`Aufnahmen machen Theoretisch wäre es`,
            // `schwer gemacht Iranisches Öl wird`).
            let second = !auxiliary
                && (noun_before
                    || participle
                    || unsplit
                    || cf.verbs.contains(verb)
                    || cf.verb_suffixes.iter().any(|e| verb.ends_with(e.as_str())))
                && cf.second_verb_follows(&text[verb_end..], &lang.adjective_endings);
            if !(auxiliary
                || noun_before
                || infinitive
                || closing
                || pronoun_next
                || second
                || cf.final_auxiliaries.contains(verb))
            {
                continue;
            }
            // the capitalised word: not an acronym, a whole word
            let noun_start = verb_end + 1;
            let noun_len = text[noun_start..]
                .find(|c: char| !c.is_alphabetic())
                .unwrap_or(text.len() - noun_start);
            let noun = &text[noun_start..noun_start + noun_len];
            let after_noun = &text[noun_start + noun_len..];
            if noun.chars().nth(1).is_none_or(|c| !c.is_lowercase())
                || after_noun.starts_with(['-', '.', '/', '@'])
            {
                continue;
            }
            if !auxiliary {
                // An infinitive or a participle after a noun, or an
                // auxiliary after a participle; then the noun and a word in
                // small letters (`holen Nachbarn hatten`). When one or two
                // words end the clause after the noun, they are the verbs
                // of the clause and the word before the noun its adjective
                // (`die der Armee enormen Auftrieb verleihen könnten.`),
                // unless the verb a main clause puts second follows the
                // noun (`eingerichtet Ziel ist es, …`), or the noun is one
                // of `pronouns` (`zu erlangen Sie hilft uns, …`).
                // Or an inflected adjective and its noun (`beachten
                // Allergene Zutaten werden`): inside a sentence German
                // writes the adjective small.
                let mut rest = after_noun.strip_prefix(',').unwrap_or(after_noun).chars();
                let space = rest.next() == Some(' ');
                let next = rest.next();
                // (after a space only: `after_noun[1..]` below skips it)
                let attributive = space
                    && next.is_some_and(char::is_uppercase)
                    && !after_noun.starts_with(',')
                    && noun.chars().count() >= 5
                    && lang
                        .adjective_endings
                        .iter()
                        .any(|e| noun.ends_with(e.as_str()));
                let clause_rest = if attributive {
                    let from = after_noun[1..]
                        .find(|c: char| !c.is_alphabetic())
                        .map_or(after_noun.len(), |i| i + 1);
                    &after_noun[from..]
                } else {
                    after_noun
                };
                // (not in a line of capitalised words: a tag cloud)
                let attributive = attributive && !titles.at(ctx, noun_start);
                if !space
                    || !(next.is_some_and(char::is_lowercase) || attributive)
                    || (!second
                        && !cf.pronouns.contains(noun)
                        && (1..=2).contains(&words(clause_after(clause_rest))))
                    || !(participle || cf.verb_endings.iter().any(|e| verb.ends_with(e.as_str())))
                    || lang.not_after.contains(verb)
                    || cf.not_verbs.contains(verb)
                    || cf.relative_pronouns.contains(verb)
                    || cf.adjective(verb)
                {
                    continue;
                }
            }
            if infinitive {
                // an infinitive clause opened by `um`, `ohne`, `statt` or a
                // comma (`, die Räume zu wärmen`); after `zu` a word with a
                // verb's ending that is no adjective, determiner or number
                // (`zu hohen Preisen`, `zu sieben Personen` are phrases)
                let clause = clause_before(text, verb_start);
                let clause_start = verb_start - clause.len();
                let opened = text[..clause_start].ends_with(',')
                    || clause
                        .split_whitespace()
                        .any(|w| cf.infinitive_openers.contains(&w.to_lowercase()));
                // (`Sie` before a word in small letters too: the
                // infinitive's objects stand before it, so `zu erlangen
                // Sie hilft uns` opens a sentence)
                if (opened || second)
                    && !lang.starters.contains(noun)
                    && (!lang.starters_before.contains_key(noun)
                        || (cf.pronouns.contains(noun)
                            && after_noun
                                .strip_prefix(' ')
                                .is_some_and(|r| r.starts_with(char::is_lowercase))))
                {
                    self.report(ctx, verb_start..noun_start + noun_len, verb_end, out);
                }
                continue;
            }
            // not a starter: the main search has those
            let lower_prev = prev.to_lowercase();
            // An auxiliary in the infinitive may end a clause that another
            // auxiliary opened, after a participle or an infinitive
            // (`sollte vermieden werden`, `wird helfen können`): a word in
            // small letters ending in `t` or `n`, not an adverb (`jetzt`,
            // `morgen`: `und jetzt werden Bürger gefragt`).
            let verb_like = |w: &str| {
                w.chars().all(char::is_lowercase)
                    && w.ends_with(['t', 'n'])
                    && w.chars().count() >= 4
                    && !lang.not_singular_verbs.contains(w)
                    && !cf.not_verbs.contains(w)
            };
            let final_infinitive =
                auxiliary && cf.final_auxiliaries.contains(verb) && verb_like(prev);
            // After a starter the verb is the second word of a sentence
            // (`Dazu gehören Volksbanken`).
            if lang.starters.contains(noun)
                || (lang.starters_before.contains_key(noun)
                    && !(cf.pronouns.contains(noun)
                        && (unsplit || participle || closing || final_infinitive)))
                || (lang.not_after.contains(&lower_prev)
                    && !(second && cf.conjunctions.contains(&lower_prev)))
                || lang.starters.contains(prev)
                || (cf.conjunctions.contains(&lower_prev) && !second)
                || cf.auxiliaries.contains(&lower_prev)
            {
                continue;
            }
            let clause = clause_before(text, verb_start);
            let clause_start = verb_start - clause.len();
            // A starter inside the clause opens a sentence there (another
            // join, which the main search reports): the clause is what
            // follows it.
            let (clause, after_comma) = match clause
                .split_whitespace()
                .rev()
                .find(|w| lang.starters.contains(*w))
            {
                Some(w) => {
                    let at = w.as_ptr() as usize - clause.as_ptr() as usize;
                    (&clause[at..], false)
                }
                None => (clause, text[..clause_start].ends_with(',')),
            };
            // A subordinate clause after a comma: `, sodass`, `, die mit`,
            // `, mit denen`.
            let mut first = clause.split_whitespace();
            let subordinate = after_comma
                && match first.next() {
                    Some(w) if cf.subordinators.contains(w) => true,
                    Some(w) if cf.relative_pronouns.contains(w) => {
                        first.next().is_some_and(|n| cf.relative_next.contains(n))
                    }
                    Some(w) if cf.prepositions.contains(w) => first
                        .next()
                        .is_some_and(|n| cf.relative_pronouns.contains(n)),
                    _ => false,
                };
            // the frame: an auxiliary earlier in the clause and no
            // conjunction after it, but for one between two verbs in small
            // letters at the clause's end (`müssen entschlüsselt und
            // aufgelöst werden`); read only when a branch below asks
            let framed = || {
                let mut tail = clause.split_whitespace().rev();
                let (last, second_last, third_last) = (tail.next(), tail.next(), tail.next());
                let kept_conjunction = match (third_last, second_last, last) {
                    (Some(a), Some(c), Some(b)) if verb_like(a) && verb_like(b) => Some(c),
                    _ => None,
                };
                let n = clause.split_whitespace().count();
                clause
                    .split_whitespace()
                    .enumerate()
                    .fold(false, |framed, (i, w)| {
                        if cf.auxiliaries.contains(w) {
                            true
                        } else {
                            framed
                                && (!cf.conjunctions.contains(w)
                                    || (i + 2 == n && kept_conjunction == Some(w)))
                        }
                    })
            };
            if auxiliary {
                // A finite auxiliary ends a subordinate clause of three
                // words or more; an infinitive one, a clause with an
                // auxiliary before it (`Die Zahlung kann per Überweisung
                // beglichen werden Nähere Informationen …`).
                if !((subordinate && words(clause) >= 3) || (final_infinitive && framed())) {
                    continue;
                }
            } else {
                // after a participle with `ge`, a pronoun that cannot be
                // its subject needs no frame (`für das Containerleben
                // geeignet Sie werden`)
                let pronoun_after_participle = participle && cf.pronouns.contains(noun);
                if !(subordinate
                    || framed()
                    || closing
                    || unsplit
                    || pronoun_after_participle
                    || second)
                {
                    continue;
                }
            }
            self.report(ctx, verb_start..noun_start + noun_len, verb_end, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`quantity_before`] as it was first written: the line searched back
    /// for its last stop once per finding, which made a long line without
    /// a stop quadratic. The walk back over at most five words must agree.
    fn quantity_before_by_search(text: &str, lines: &LineIndex, end: usize) -> bool {
        let line = &text[lines.full(lines.line_of(end)).start..end];
        let fragment = line
            .rmatch_indices(['.', '!', '?', ';', ':'])
            .find(|(i, _)| line[i + 1..].starts_with(char::is_whitespace))
            .map_or(line, |(i, _)| &line[i + 1..]);
        let fragment = fragment.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '-' | '*' | '•' | '–' | '—' | '·' | '+' | '>')
        });
        let numeric = |w: &str| {
            w.chars()
                .any(|c| c.is_ascii_digit() || matches!(c, '½' | '¼' | '¾' | '⅓' | '⅔'))
                || NUMBER_WORDS.contains(&w.to_lowercase().as_str())
        };
        let words: Vec<&str> = fragment.split_whitespace().collect();
        let numbers = words.iter().filter(|w| numeric(w)).count();
        numbers >= 1 && words.len() - numbers <= 1 && words.len() <= 4
    }

    proptest::proptest! {
        #[test]
        fn quantity_before_reads_back_as_the_search_did(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "3", "½", "two", "Two", "kg", "Mehl", "-", "•", "--", "-5", "a.b.",
                    "Euro.", "39.991,11", "x:", "?", ";", ".", " ", "  ", "\u{a0}", "\n",
                ]),
                0..24,
            ),
            glue in proptest::collection::vec(0usize..3, 24),
        ) {
            let mut text = String::new();
            for (part, g) in parts.iter().zip(&glue) {
                text.push_str(part);
                text.push_str(["", " ", "\u{2009}"][*g]);
            }
            let lines = LineIndex::new(&text);
            for end in (0..=text.len()).filter(|&e| text.is_char_boundary(e)) {
                proptest::prop_assert_eq!(
                    quantity_before(&text, &lines, end),
                    quantity_before_by_search(&text, &lines, end),
                    "{:?} at {}", text, end
                );
            }
        }
    }

    #[test]
    fn word_start_walks_back_over_letters() {
        let t = "eingesetzt werden Die";
        assert_eq!(&t[word_start(t, 17)..17], "werden");
    }

    /// The built-in rule's patterns compile only when a document of their
    /// language needs them: each must compile.
    #[test]
    fn builtin_patterns_compile() {
        let set = crate::rules::RuleSet::builtin().expect("built-in rules load");
        let rule = set
            .entries()
            .iter()
            .find(|e| e.rule.check.as_deref() == Some("sentence-join"))
            .expect("a sentence-join rule");
        let check = SentenceJoin::new(&rule.rule).expect("the rule compiles");
        assert!(check.langs.len() >= 5);
        for (code, lang) in &check.langs {
            assert!(regex(&lang.pattern).is_ok(), "{code}");
        }
    }

    #[test]
    fn spaces_before_capitals_match_a_plain_scan() {
        let text = "ein Haus Äpfel  Öl x Y\u{e4}b Über Tag. Zu z  A\u{c3}\u{a9} Ende Z";
        let bytes = text.as_bytes();
        let plain: Vec<usize> = (0..bytes.len() - 1)
            .filter(|&i| {
                bytes[i] == b' ' && (bytes[i + 1].is_ascii_uppercase() || bytes[i + 1] == 0xC3)
            })
            .collect();
        for skip in 0..9 {
            let mut found = Vec::new();
            spaces_before_capitals(&bytes[skip..], |at| found.push(at + skip));
            let want: Vec<usize> = plain.iter().copied().filter(|&i| i >= skip).collect();
            assert_eq!(found, want, "from byte {skip}");
        }
        // and before any byte from 0xC3 on
        let text =
            "ein Haus Äpfel  Öl x Y\u{e4}b über Łódź Tag. Zu z  A\u{c3}\u{a9} Москва Ende \u{ff} Z";
        let bytes = text.as_bytes();
        let plain: Vec<usize> = (0..bytes.len() - 1)
            .filter(|&i| {
                bytes[i] == b' ' && (bytes[i + 1].is_ascii_uppercase() || bytes[i + 1] >= 0xC3)
            })
            .collect();
        assert!(plain.len() > 8);
        for skip in 0..9 {
            let mut found = Vec::new();
            spaces_before::<true>(&bytes[skip..], |at| found.push(at + skip));
            let want: Vec<usize> = plain.iter().copied().filter(|&i| i >= skip).collect();
            assert_eq!(found, want, "wide, from byte {skip}");
        }
    }

    #[test]
    fn naming_verb_after_the_starter() {
        let naming: HashSet<String> = ["nennen".to_string()].into_iter().collect();
        let at = |text: &str, word: &str| {
            let start = text.find(word).unwrap();
            named_after(text, start + word.len(), &naming)
        };
        assert!(at("den alle nur An nennen, kam", "An"));
        assert!(at("eine glatte Sechs nennen!", "Sechs"));
        assert!(at("den sie Die Eiserne Lady nennen.", "Die"));
        // four words before the verb, the verb not last, no clause end
        assert!(!at("den sie Die sehr alte Eiserne Lady nennen.", "Die"));
        assert!(!at("Die Stadt nennen wir morgen.", "Die"));
        assert!(!at("nur An nennen", "An"));
    }

    #[test]
    fn titles_named_again() {
        // (`end`: the end of the word before the starter)
        let at = |text: &str, word: &str| {
            TITLE_LOOKUPS.set(0);
            title_run_elsewhere(text, text.find(word).unwrap())
        };
        let review =
            "‘It Was Always You’ Review\n\nIt takes an hour for It Was Always You to land.";
        assert!(at(review, " You to"));
        // two captions alike: the run goes on with a word each time
        let captions =
            "soaks up the sun on Miami Beach The model, 25, and on Miami Beach The supermodel";
        assert!(!at(captions, " The model"));
        // two capitalised words are no run
        assert!(!at("‘Always You’ and then Always You came", " You came"));
    }

    #[test]
    fn phrases_named_again() {
        // (`end`: the end of the word before the starter)
        let at = |text: &str, before: &str| {
            TITLE_LOOKUPS.set(0);
            let end = text.find(before).unwrap() + before.len();
            phrase_recurs(text, end, |w| ["He", "Wir"].contains(&w))
        };
        let song =
            "stimmte jemand Wir sind die Könige an. Später sangen sie immer Wir sind die Könige.";
        assert!(at(song, "jemand"));
        assert!(at(song, "immer"));
        // a paragraph printed twice: the same word before
        let twice =
            "wurde eröffnet Wir sind froh darüber. Ja, wurde eröffnet Wir sind froh darüber.";
        assert!(!at(twice, "wurde eröffnet"));
        // a template's text after each label
        let labels =
            "+ Bibliothek An dieser Stelle finden Sie\n+ Pressestelle An dieser Stelle finden Sie";
        assert!(!at(labels, "Bibliothek"));
        // three words are no phrase
        assert!(!at(
            "kam nun Unter dem Eis, dann kommt Unter dem Eis, der Titelsong",
            "nun"
        ));
        // a name that ends in a pronoun, going on differently
        let name = "The novel by Liu He has won praise. Liu He will read from it.";
        assert!(at(name, "by Liu"));
        assert!(at(name, ". Liu"));
        // not a pronoun, or going on alike
        assert!(!at(
            "on Miami Beach The model, and on Miami Beach The star",
            "on Miami Beach"
        ));
        assert!(!at(
            "by Liu He has won it all. And Liu He has won it all.",
            "by Liu"
        ));
    }

    #[test]
    fn quoted_titles() {
        let at = |text: &str, word: &str| in_quoted_title(text, text.find(word).unwrap());
        let letter = "Zum Artikel „Stadtrat beschließt Aus für das Freibad“ vom 12. Juni:";
        assert!(at(letter, " Aus"));
        assert!(at("the piece “Council Votes Down The Plan” ran", " The"));
        // speech ends with its mark inside the quotation
        assert!(!at("Er sagte: „Wir bleiben hier Das steht fest.“", " Das"));
        // outside the quotation, and a quotation that starts in small letters
        assert!(!at("„Freibad“ beschließt Aus für alle", " Aus"));
        assert!(!at("Sie nannte es „ein Ende Aus Sicht der Stadt“", " Aus"));
        // too long for a title
        let long =
            "„Eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf Dreizehn vierzehn“";
        assert!(!at(long, " Dreizehn"));
        // no closing mark on the line
        assert!(!at("„Stadtrat beschließt Aus\nfür das Freibad“", " Aus"));
    }

    #[test]
    fn attribution_after_a_quotation() {
        let t = "“It is a win-win,” Claverie said Such";
        assert!(attribution(t, t.find("said").unwrap()));
        let t = "He has long said Such";
        assert!(!attribution(t, t.find("said").unwrap()));
        let t = "“It is a win,” the director of the museum, Claverie, said Such";
        assert!(!attribution(t, t.find("said").unwrap()));
    }

    #[test]
    fn title_case_lines() {
        assert!(title_case("How The West Was Won Again"));
        assert!(!title_case("the west was won by The Guardian"));
    }
}
