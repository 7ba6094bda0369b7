//! The one schema both backends share: only portable column types.

diesel::table! {
    units (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        search_name -> Text,
        kind -> Text,
        parent_id -> Nullable<BigInt>,
        path -> Text,
        established_on -> Nullable<Date>,
        dissolved_on -> Nullable<Date>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    positions (id) {
        id -> BigInt,
        code -> Text,
        title -> Text,
        search_title -> Text,
        category -> Text,
        min_education -> Nullable<Text>,
        min_political_theory -> Nullable<Text>,
        min_state_management -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        min_education_rank -> Nullable<Integer>,
        min_political_theory_rank -> Nullable<Integer>,
        min_state_management_rank -> Nullable<Integer>,
        leadership -> Bool,
    }
}

diesel::table! {
    officials (id) {
        id -> BigInt,
        code -> Text,
        full_name -> Text,
        search_name -> Text,
        gender -> Text,
        date_of_birth -> Nullable<Date>,
        unit_id -> BigInt,
        position_id -> Nullable<BigInt>,
        category -> Text,
        party_joined_on -> Nullable<Date>,
        status -> Text,
        separated_on -> Nullable<Date>,
        education -> Text,
        political_theory -> Text,
        state_management -> Text,
        it -> Text,
        foreign_language -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        national_id -> Nullable<Text>,
        ethnicity -> Nullable<Text>,
        religion -> Nullable<Text>,
        rank -> Nullable<Text>,
        general_education -> Nullable<Text>,
        given_name_key -> Text,
    }
}

diesel::table! {
    official_ranks (id) {
        id -> BigInt,
        official_id -> BigInt,
        rank -> Text,
        since -> Date,
        created_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    assignments (id) {
        id -> BigInt,
        official_id -> BigInt,
        unit_id -> BigInt,
        position_id -> Nullable<BigInt>,
        category -> Text,
        started_on -> Date,
        ended_on -> Nullable<Date>,
        end_reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    qualifications (id) {
        id -> BigInt,
        official_id -> BigInt,
        dimension -> Text,
        level -> Text,
        field -> Nullable<Text>,
        institution -> Nullable<Text>,
        awarded_on -> Date,
        certificate_no -> Nullable<Text>,
        source -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        enrollment_id -> Nullable<BigInt>,
        level_order -> Integer,
        level_rank -> Integer,
    }
}

diesel::table! {
    courses (id) {
        id -> BigInt,
        code -> Text,
        title -> Text,
        search_title -> Text,
        kind -> Text,
        track -> Text,
        confers_dimension -> Nullable<Text>,
        confers_level -> Nullable<Text>,
        field -> Nullable<Text>,
        provider -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        confers_rank -> Nullable<Integer>,
    }
}

diesel::table! {
    classes (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        search_name -> Text,
        course_id -> BigInt,
        organizer_unit_id -> BigInt,
        provider -> Nullable<Text>,
        starts_on -> Date,
        ends_on -> Date,
        capacity -> Nullable<Integer>,
        external_learners -> Integer,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        location -> Text,
        study_mode -> Text,
        funding -> Text,
        cost_vnd -> BigInt,
        learner_cost_vnd -> BigInt,
    }
}

diesel::table! {
    enrollments (id) {
        id -> BigInt,
        class_id -> BigInt,
        official_id -> BigInt,
        sending_unit_id -> BigInt,
        status -> Text,
        result -> Nullable<Text>,
        score -> Nullable<Double>,
        certificate_no -> Nullable<Text>,
        completed_on -> Nullable<Date>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        starts_on -> Date,
        location -> Text,
        study_mode -> Text,
        funding -> Text,
        cost_vnd -> BigInt,
        course_id -> BigInt,
        official_gender -> Text,
        official_position_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    unit_level_counts (unit_id, category, dimension, level) {
        unit_id -> BigInt,
        category -> Text,
        dimension -> Text,
        level -> Text,
        n -> BigInt,
    }
}

diesel::table! {
    unit_revisions (unit_id) {
        unit_id -> BigInt,
        revision -> BigInt,
    }
}

diesel::table! {
    workforce_counts (as_of, unit_id, category) {
        as_of -> Date,
        unit_id -> BigInt,
        category -> Text,
        revision -> BigInt,
        layout -> Text,
        counts -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        password_hash -> Text,
        role -> Text,
        unit_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        disabled -> Bool,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        user_id -> Nullable<BigInt>,
        actor -> Text,
        action -> Text,
        entity -> Text,
        entity_id -> Nullable<BigInt>,
        before -> Nullable<Text>,
        after -> Nullable<Text>,
    }
}

diesel::table! {
    login_throttles (id) {
        id -> BigInt,
        username -> Text,
        address -> Text,
        window_started_at -> Timestamp,
        failures -> Integer,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    processing_log (id) {
        id -> BigInt,
        at -> Timestamp,
        user_id -> Nullable<BigInt>,
        actor -> Text,
        endpoint -> Text,
        request -> Text,
        fields -> Text,
        people -> BigInt,
    }
}

diesel::table! {
    processing_log_subjects (official_id, entry_id) {
        official_id -> BigInt,
        entry_id -> BigInt,
    }
}

diesel::joinable!(officials -> units (unit_id));
diesel::table! {
    imports (id) {
        id -> BigInt,
        at -> Timestamp,
        user_id -> Nullable<BigInt>,
        actor -> Text,
        kind -> Text,
        mode -> Text,
        dry_run -> Bool,
        file_name -> Nullable<Text>,
        sha256 -> Text,
        rows -> BigInt,
        created -> BigInt,
        updated -> BigInt,
        unchanged -> BigInt,
    }
}

diesel::table! {
    plans (id) {
        id -> BigInt,
        unit_id -> BigInt,
        year -> Integer,
        status -> Text,
        return_reason -> Nullable<Text>,
        note -> Nullable<Text>,
        submitted_at -> Nullable<Timestamp>,
        approved_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    plan_items (id) {
        id -> BigInt,
        plan_id -> BigInt,
        course_id -> Nullable<BigInt>,
        kind -> Text,
        dimension -> Nullable<Text>,
        level -> Nullable<Text>,
        seats -> Integer,
        quarter -> Nullable<Integer>,
        cost_vnd -> BigInt,
        purpose -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    plan_needs (id) {
        id -> BigInt,
        plan_id -> BigInt,
        official_id -> BigInt,
        item_id -> Nullable<BigInt>,
        year -> Integer,
        dimension -> Nullable<Text>,
        level -> Nullable<Text>,
        level_rank -> Nullable<Integer>,
        reason -> Text,
        note -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        fulfilment -> Text,
    }
}

diesel::joinable!(officials -> positions (position_id));
diesel::joinable!(assignments -> officials (official_id));
diesel::joinable!(qualifications -> officials (official_id));
diesel::joinable!(official_ranks -> officials (official_id));
diesel::joinable!(users -> units (unit_id));
diesel::joinable!(classes -> courses (course_id));
diesel::joinable!(classes -> units (organizer_unit_id));
diesel::joinable!(enrollments -> classes (class_id));
diesel::joinable!(enrollments -> officials (official_id));
diesel::joinable!(processing_log_subjects -> processing_log (entry_id));
diesel::joinable!(plans -> units (unit_id));
diesel::joinable!(plan_items -> plans (plan_id));
diesel::joinable!(plan_items -> courses (course_id));
diesel::joinable!(plan_needs -> plans (plan_id));
diesel::joinable!(plan_needs -> officials (official_id));
diesel::joinable!(plan_needs -> plan_items (item_id));

diesel::table! {
    search_words (kind, record_id, word) {
        kind -> SmallInt,
        record_id -> BigInt,
        word -> Text,
        unit_id -> Nullable<BigInt>,
        sort_key -> Nullable<Text>,
        region_id -> Nullable<BigInt>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    search_words,
    imports,
    units,
    positions,
    officials,
    assignments,
    qualifications,
    users,
    courses,
    classes,
    enrollments,
    unit_level_counts,
    unit_revisions,
    workforce_counts,
    audit_log,
    official_ranks,
    processing_log,
    processing_log_subjects,
    plans,
    plan_items,
    plan_needs
);
