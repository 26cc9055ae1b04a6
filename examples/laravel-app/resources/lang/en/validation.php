<?php

// The validation messages the example's forms can produce
// (Laravel 8 has no built-in translations; 11+ ship their own).
return [
    'required' => 'The :attribute field is required.',
    'string' => 'The :attribute must be a string.',
    'max' => [
        'string' => 'The :attribute may not be longer than :max characters.',
    ],
    'in' => 'The selected :attribute is invalid.',
];
