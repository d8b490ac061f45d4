"""Field widgets shared by the wizard pages: a labelled text input, big choice buttons, steppers and pickers.

Each field shows its own label, an optional hint and its problem (in the visitor's language) right below it. Fields
hold what the visitor typed; pages read it out as plain data and never store it anywhere else.
"""

from ui.fields.choice import ChoiceGroup
from ui.fields.date_of_birth import DateOfBirthField
from ui.fields.moment import MomentPicker
from ui.fields.stepper import Stepper
from ui.fields.text_field import TextAreaField, TextField

__all__ = ["ChoiceGroup", "DateOfBirthField", "MomentPicker", "Stepper", "TextAreaField", "TextField"]
