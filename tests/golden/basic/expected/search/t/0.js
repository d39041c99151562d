jicengSearch("t/0","");
