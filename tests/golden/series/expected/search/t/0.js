jicengSearch("t/0","");
