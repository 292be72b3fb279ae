//! The reflection prompts that ship with WisdomOS, written for it: five for each of the thirty life
//! areas, and general ones for a day and for a week. Ids are stable (`<area>-<n>`, `daily-<n>`,
//! `weekly-<n>`): the history of what was offered refers to them.

/// Which prompts a day may draw from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// About one life area (its slug).
    Area(&'static str),
    /// Any day.
    Daily,
    /// The end of a week (Sunday, or the person's last day of the week).
    Weekly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prompt {
    pub id: &'static str,
    pub scope: Scope,
    pub text: &'static str,
}

macro_rules! area_prompts {
    ($slug:literal: $($n:literal => $text:literal),+ $(,)?) => {
        [$(Prompt { id: concat!($slug, "-", $n), scope: Scope::Area($slug), text: $text }),+]
    };
}

macro_rules! general_prompts {
    ($prefix:literal, $scope:expr; $($n:literal => $text:literal),+ $(,)?) => {
        [$(Prompt { id: concat!($prefix, "-", $n), scope: $scope, text: $text }),+]
    };
}

pub static DAILY: [Prompt; 10] = general_prompts!("daily", Scope::Daily;
    1 => "What took most of your energy today, and was it worth it?",
    2 => "Name one moment today you would like to remember in a year.",
    3 => "What did you avoid today? What would it take to face it tomorrow?",
    4 => "Who made your day a little better, and did they know?",
    5 => "What surprised you today, about the world or about yourself?",
    6 => "Where did your body feel tense today, and what was happening then?",
    7 => "What is one thing you handled better today than you would have a year ago?",
    8 => "If today had a title, what would it be?",
    9 => "What are you carrying into tomorrow that you could put down tonight?",
    10 => "What did you say yes to today that you meant to say no to, or the other way round?",
);

pub static WEEKLY: [Prompt; 6] = general_prompts!("weekly", Scope::Weekly;
    1 => "Looking back at this week: what gave you energy, and what drained it?",
    2 => "Which commitment did you keep this week, and which one slipped? Why?",
    3 => "What pattern did you notice in yourself this week?",
    4 => "What would make next week 10% better than this one?",
    5 => "Which relationship got your attention this week, and which one needs it next?",
    6 => "What did this week teach you that you want to keep?",
);

pub static AREAS: [[Prompt; 5]; 30] = [
    area_prompts!("work":
        1 => "When did work feel meaningful lately, and when did it feel like only a job?",
        2 => "What is one thing at work you keep postponing? What is it protecting you from?",
        3 => "Who at work brings out your best, and what do they do differently?",
        4 => "If you could change one thing about how you work, not what, what would it be?",
        5 => "What did you finish recently that you never took a moment to be proud of?"),
    area_prompts!("finance":
        1 => "How do you feel when you check your bank balance? Where does that feeling come from?",
        2 => "What did you spend money on this month that you truly valued?",
        3 => "Which money decision have you been putting off?",
        4 => "What does 'enough money' mean for you, in numbers or in a picture of your life?",
        5 => "What did your family teach you about money that you still believe? Is it true?"),
    area_prompts!("living-environment":
        1 => "Which corner of your home makes you feel calm, and which one makes you tense?",
        2 => "What is one small change that would make your home easier to live in?",
        3 => "Does where you live support the life you want? What is missing?",
        4 => "What have you been meaning to fix, clear out or make beautiful at home?",
        5 => "When did you last feel truly at home? What made it so?"),
    area_prompts!("legal-civic":
        1 => "Is there paperwork, a form or a deadline hanging over you? What is the first step?",
        2 => "How did you take part in your community's decisions lately, even in a small way?",
        3 => "Which rights or protections do you rely on without thinking about them?",
        4 => "Is there an official matter you are anxious about? What do you actually know so far?",
        5 => "What civic issue do you care about, and what would acting on it look like?"),
    area_prompts!("time-energy":
        1 => "Where did your time go this week compared with where you wanted it to go?",
        2 => "At what time of day do you have the most energy? What do you usually spend it on?",
        3 => "What could you stop doing without anyone noticing?",
        4 => "When did you last rest without feeling guilty about it?",
        5 => "What drains you that you have accepted as normal?"),
    area_prompts!("romantic-intimacy":
        1 => "When did you last feel really close to your partner, or to the idea of one? What made it?",
        2 => "What do you need in love that you find hard to ask for?",
        3 => "What small gesture means more to you than a big one?",
        4 => "Is there a conversation with your partner you keep avoiding?",
        5 => "What do you appreciate about your partner that you have not said out loud lately?"),
    area_prompts!("family":
        1 => "Which family member have you been thinking about lately, and why?",
        2 => "What family habit do you want to keep, and which one do you want to end with you?",
        3 => "When did you last feel understood by your family?",
        4 => "What would you like to ask a parent or grandparent while you still can?",
        5 => "Is there a family tension you carry? What part of it is yours to carry?"),
    area_prompts!("friendships":
        1 => "Which friend would you call at 3am, and when did you last tell them that?",
        2 => "Is there a friendship that has drifted? Do you miss it, or is it right that it ended?",
        3 => "What kind of friend have you been lately?",
        4 => "Who do you feel most yourself with?",
        5 => "Is there a friend you owe a message, an apology or a thank you?"),
    area_prompts!("professional-network":
        1 => "Who in your field do you admire, and what could you learn from them?",
        2 => "Whom have you helped professionally lately, without expecting anything back?",
        3 => "Is there someone you have been meaning to reconnect with for work?",
        4 => "How do people you work with describe you? How would you like them to?",
        5 => "What conversation could open a door for you this month?"),
    area_prompts!("community":
        1 => "Where do you feel you belong outside home and work?",
        2 => "Who are the people in your neighbourhood you recognise but have never spoken to?",
        3 => "What does your community need that you could offer?",
        4 => "When did you last feel part of something bigger than yourself?",
        5 => "Which group or place have you been meaning to try?"),
    area_prompts!("physical-health":
        1 => "How is your body feeling today, from head to toe?",
        2 => "What does your sleep look like lately, and what is affecting it?",
        3 => "What kind of movement do you actually enjoy, not just tolerate?",
        4 => "What is your body asking for that you keep ignoring?",
        5 => "What would a slightly healthier version of your ordinary day look like?"),
    area_prompts!("mental-health":
        1 => "What has been on your mind most this week?",
        2 => "When did you last feel calm? What was around you?",
        3 => "Which thought keeps coming back, and is it true?",
        4 => "Who could you talk to if things got heavier? Do they know?",
        5 => "What helps you when your mind will not slow down?"),
    area_prompts!("emotional-wellbeing":
        1 => "What emotion showed up most today? What was it trying to tell you?",
        2 => "When did you last cry or laugh hard? What was it about?",
        3 => "What feeling do you tend to hide from others?",
        4 => "What do you need to hear right now? Could you say it to yourself?",
        5 => "Which situation left you unsettled lately, and what did it touch in you?"),
    area_prompts!("personal-growth":
        1 => "What are you learning about yourself at the moment?",
        2 => "Which habit would make the biggest difference if you kept it for a year?",
        3 => "Where are you playing it safe, and what would one braver step look like?",
        4 => "What feedback have you received lately that you have not fully taken in?",
        5 => "How are you different from the person you were three years ago?"),
    area_prompts!("spirituality":
        1 => "When did you last feel awe?",
        2 => "What gives your life a sense of meaning beyond your daily tasks?",
        3 => "What practice helps you feel grounded, and when did you last do it?",
        4 => "What do you believe about the things that matter most? Has it changed?",
        5 => "Where do you find stillness?"),
    area_prompts!("creative-expression":
        1 => "What did you make lately, however small?",
        2 => "Which creative idea keeps coming back to you?",
        3 => "What stops you from creating more often?",
        4 => "When did you last lose track of time making something?",
        5 => "What would you create if nobody would ever see it?"),
    area_prompts!("hobbies-play":
        1 => "What do you do just for fun, with no goal at all?",
        2 => "What did you love doing as a child that you no longer do?",
        3 => "When did you last play, really play?",
        4 => "Which hobby have you been curious to try?",
        5 => "What would a free afternoon with no obligations look like?"),
    area_prompts!("style-aesthetics":
        1 => "What in your surroundings do you find beautiful right now?",
        2 => "Do your clothes feel like you? What would feel more like you?",
        3 => "Which place, object or image has caught your eye lately?",
        4 => "How does the way you present yourself affect how you feel?",
        5 => "What small thing could you add to your day to make it more beautiful?"),
    area_prompts!("humor-levity":
        1 => "What made you laugh today?",
        2 => "Who makes you laugh most easily?",
        3 => "What are you taking too seriously at the moment?",
        4 => "When did you last do something silly on purpose?",
        5 => "What is the funniest thing that happened this month?"),
    area_prompts!("sensuality":
        1 => "Which of your senses did you enjoy most today?",
        2 => "What textures, tastes or smells bring you comfort?",
        3 => "When did you last slow down enough to savour something?",
        4 => "How comfortable do you feel in your own body lately?",
        5 => "What pleasure do you deny yourself, and why?"),
    area_prompts!("travel-adventure":
        1 => "Where would you go tomorrow if you could?",
        2 => "What is the last new place you explored, even close to home?",
        3 => "What adventure have you been postponing, and what is the real reason?",
        4 => "Which trip changed how you see things?",
        5 => "What small adventure could you have this weekend?"),
    area_prompts!("learning-education":
        1 => "What have you learned this week that you did not know before?",
        2 => "What skill would you like to have in a year's time?",
        3 => "Which book, course or teacher has shaped you most?",
        4 => "How do you learn best, and do you give yourself that?",
        5 => "What question are you curious enough to study?"),
    area_prompts!("innovation":
        1 => "What problem in your daily life would you love to solve?",
        2 => "When did you last try a new way of doing something routine?",
        3 => "Which idea of yours deserves a small experiment?",
        4 => "What would you do differently if failure cost nothing?",
        5 => "Who around you thinks differently, and what could you borrow from them?"),
    area_prompts!("nature":
        1 => "When were you last outside with nothing to do?",
        2 => "What did you notice about the season today?",
        3 => "Which place in nature feels like yours?",
        4 => "How do you feel after time outdoors compared with before?",
        5 => "What living thing did you pay attention to today?"),
    area_prompts!("curiosity":
        1 => "What are you curious about right now?",
        2 => "What question did you ask today that you did not know the answer to?",
        3 => "Which topic could you happily read about for hours?",
        4 => "Whose life or work do you wonder about?",
        5 => "What do you assume is true that you have never checked?"),
    area_prompts!("purpose-mission":
        1 => "What do you want your life to be about?",
        2 => "When do you feel most useful?",
        3 => "What would you keep doing even if nobody paid or thanked you?",
        4 => "Is what you do each day moving you toward what matters to you?",
        5 => "What would you regret not having tried?"),
    area_prompts!("values-integrity":
        1 => "Which of your values did you act on today?",
        2 => "When did you last act against what you believe? What happened?",
        3 => "What line would you never cross, and has it been tested?",
        4 => "Whose integrity do you admire, and why?",
        5 => "Is there a promise to yourself you have been breaking?"),
    area_prompts!("legacy-impact":
        1 => "How would you like people to describe you when you are not in the room?",
        2 => "What are you building that will outlast this year?",
        3 => "Whose life have you changed, even a little?",
        4 => "What do you want to pass on, and to whom?",
        5 => "What would you like to have finished ten years from now?"),
    area_prompts!("contribution":
        1 => "Whom did you help this week, and how did it feel?",
        2 => "What cause would you give more time to if you could?",
        3 => "What do you have in abundance that others need: time, skill, attention?",
        4 => "When did giving feel easy, and when did it feel like an obligation?",
        5 => "What small act of kindness could you do tomorrow?"),
    area_prompts!("wisdom":
        1 => "What do you know now that you wish you had known ten years ago?",
        2 => "Which mistake taught you the most?",
        3 => "What advice do you give others that you do not follow yourself?",
        4 => "What have you changed your mind about, and what made you change it?",
        5 => "Whom do you go to for wisdom, and what makes them wise?"),
];
